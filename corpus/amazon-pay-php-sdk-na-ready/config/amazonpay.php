<?php
// Environment-specific key pair from Seller Central: the key id says LIVE,
// so the SDK needs no sandbox flag.
return [
    'public_key_id' => 'LIVE-G7PRQSE2T3ZZHQOUWQX7JK9R',
    'private_key'   => getenv('AMAZON_PAY_PRIVATE_KEY_PATH'),
    'region'        => 'us',
];
