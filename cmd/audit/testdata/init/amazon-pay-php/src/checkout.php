<?php
require __DIR__ . '/../vendor/autoload.php';
$client = new Amazon\Pay\API\Client(['public_key_id' => getenv('AMAZON_PAY_PUBLIC_KEY_ID'), 'region' => 'eu']);
