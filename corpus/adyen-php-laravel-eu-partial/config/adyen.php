<?php

return [
    'api_key' => env('ADYEN_API_KEY'),
    'merchant_account' => env('ADYEN_MERCHANT_ACCOUNT'),
    'client_key' => env('ADYEN_CLIENT_KEY'),
    'environment' => env('ADYEN_ENVIRONMENT', 'test'),
    'live_prefix' => env('ADYEN_LIVE_PREFIX'),
];
