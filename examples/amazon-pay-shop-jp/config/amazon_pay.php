<?php
// Amazon Pay settings of the shop, in the shape of EC-CUBE and Amazon Pay
// PHP SDK integrations (written for this example).
define('AMAZON_PAY_ENV', 'production');

return [
    'amazon_pay' => [
        'merchant_id'     => 'A1JPSAKURA0001',
        'public_key_id'   => 'LIVE-AJPSAKURASHOTEN4LIVE0001',
        'private_key'     => getenv('AMAZON_PAY_PRIVATE_KEY_PATH'),
        'region'          => 'jp',
        'sandbox'         => false, // true while testing
        'ledger_currency' => 'JPY',
        'checkout_result_return_url' => 'https://sakura-shoten.jp/checkout/result',
    ],
];
