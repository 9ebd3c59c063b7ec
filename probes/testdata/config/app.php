<?php
/*
 * Shop settings, in the shapes PHP integrations use: a returned array
 * (Laravel, Magento's env.php), define() (WordPress), an assigned array.
 */
define('AMAZON_PAY_SANDBOX', false);
define( "AMAZON_PAY_REGION", 'eu' ); // define('AMAZON_PAY_REGION', 'us');

$amazonpay_config = array(
    'public_key_id' => 'LIVE-AEXAMPLE',
    'region'        => 'EU',
    'sandbox'       => false,
);

$config['paypal']['mode'] = "live";

return [
    'amazon_pay' => [
        'store_id'    => "amzn1.application-oa2-client.example",
        'currencies'  => ['EUR', 'CHF'],
        'timeout'     => 30,
        'private_key' => env('AMAZON_PAY_PRIVATE_KEY'),
        'note'        => <<<TXT
            multi
            line
            TXT,
    ],
    # 'sandbox' => true,
];
