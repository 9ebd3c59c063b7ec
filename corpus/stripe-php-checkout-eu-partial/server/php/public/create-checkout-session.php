<?php
require_once 'shared.php';

$session = \Stripe\Checkout\Session::create([
  'success_url' => $config['domain'] . '/success.html?session_id={CHECKOUT_SESSION_ID}',
  'cancel_url' => $config['domain'] . '/canceled.html',
  'mode' => 'payment',
  'line_items' => [[
    'price' => $config['price'],
    'quantity' => $_POST['quantity'],
  ]],
]);
header('HTTP/1.1 303 See Other');
header('Location: ' . $session->url);
