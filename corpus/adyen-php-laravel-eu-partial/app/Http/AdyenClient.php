<?php

namespace App\Http;

class AdyenClient
{
    public $service;

    function __construct() {
        $client = new \Adyen\Client();
        $client->setXApiKey(config('adyen.api_key'));
        $client->setEnvironment(config('adyen.environment'), config('adyen.live_prefix'));
        $this->service = new \Adyen\Service\Checkout\PaymentsApi($client);
    }
}
