<?php
namespace Bergblick\Shop;

use Amazon\Pay\API\Client;

class ButtonController
{
    // The page embeds the payload string and the signature the SDK makes of it.
    public function button(string $payload): array
    {
        $client = new Client(require __DIR__ . '/../config/amazonpay.php');
        return ['payloadJSON' => $payload, 'signature' => $client->generateButtonSignature($payload)];
    }
}
