<?php
return [
    'public_key_id' => 'LIVE-G7PRQSE2T3ZZHQOUWQX7JK9R',
    'private_key'   => '/etc/bergblick/amazon-pay/private.pem',
    'region'        => 'eu',
    'algorithm'     => 'AMZN-PAY-RSASSA-PSS-V2',
];
