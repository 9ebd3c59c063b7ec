<?php
// Login and Pay with Amazon (v1 / MWS) settings, shape of the samples' config.php.
$amazonpay_config = array(
    'merchant_id'   => 'A1BERGBLICKV1SELLER',
    'access_key'    => 'AKIAJBERGBLICKEXAMPL',
    'secret_key'    => getenv('MWS_SECRET_KEY'),
    'client_id'     => 'amzn1.application-oa2-client.4ba1e2c3d4e5f60718293a4b5c6d7e8f',
    'region'        => 'de',
    'currency_code' => 'EUR',
    'sandbox'       => true);
