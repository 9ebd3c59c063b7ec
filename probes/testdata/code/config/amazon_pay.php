<?php
$amazonpay_config = array(
    'public_key_id' => 'LIVE-AEXAMPLE',
    'region'        => 'EU',
    'sandbox'       => true,        // 'sandbox' => false at launch
);
