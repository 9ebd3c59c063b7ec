<?php
require_once '../config.php';
require_once '../vendor/autoload.php';

// The v1 SDK picks the MWS endpoint from region and sandbox:
// https://mws-eu.amazonservices.com/OffAmazonPayments_Sandbox/2013-01-01
$client = new AmazonPay\Client($amazonpay_config);
$response = $client->confirmOrderReference(array(
    'amazon_order_reference_id' => $_POST['orderReferenceId'],
));
