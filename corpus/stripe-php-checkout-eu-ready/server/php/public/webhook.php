<?php
require_once 'shared.php';

try {
  $event = \Stripe\Webhook::constructEvent(file_get_contents('php://input'), $_SERVER['HTTP_STRIPE_SIGNATURE'], getenv('STRIPE_WEBHOOK_SECRET'));
} catch (Exception $e) {
  http_response_code(403);
  exit;
}
if ($event['type'] == 'checkout.session.completed') {
  error_log('Checkout Session was completed');
}
