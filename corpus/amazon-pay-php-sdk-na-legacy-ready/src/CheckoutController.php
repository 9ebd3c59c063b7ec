<?php
namespace CedarRidge\Shop;

use Amazon\Pay\API\Client;

class CheckoutController
{
    public function createSession(): array
    {
        $client = new Client(require __DIR__ . '/../config/amazonpay.php');
        return $client->createCheckoutSession([
            'webCheckoutDetails' => ['checkoutReviewReturnUrl' => 'https://shop.cedar-ridge.example/checkout/review'],
            'storeId' => 'amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId',
        ], ['x-amz-pay-Idempotency-Key' => uniqid()]);
    }
}
