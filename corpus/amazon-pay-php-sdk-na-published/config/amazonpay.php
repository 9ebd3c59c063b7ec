<?php
// Amazon Pay API v2 client settings (shape of the SDK README's $amazonpay_config).
return [
    'public_key_id' => 'AGXQ6HFRRHBK0H7F14K8Y3T5',  // RSA public key id (not the merchant id)
    'private_key'   => __DIR__ . '/../keys/private.pem',
    'region'        => 'us',
    'sandbox'       => true,
];
