<?php
// Key pair created before environment-specific keys existed: the same key id
// serves both environments and the sandbox flag chooses.
return [
    'public_key_id' => 'AGXQ6HFRRHBK0H7F14K8Y3T5',
    'private_key'   => '/etc/shop/amazon-pay/private.pem',
    'region'        => 'us',
    'sandbox'       => false,
];
