<?php
require_once __DIR__ . '/../../vendor/autoload.php';

Dotenv\Dotenv::createImmutable(__DIR__)->safeLoad();

function amazon_pay_client(): Amazon\Pay\API\Client
{
    return new Amazon\Pay\API\Client([
        'public_key_id' => $_ENV['AMAZONPAY_PUBLIC_KEY_ID'],
        'private_key'   => $_ENV['AMAZONPAY_PRIVATE_KEY_PATH'],
        'region'        => 'jp',
    ]);
}
