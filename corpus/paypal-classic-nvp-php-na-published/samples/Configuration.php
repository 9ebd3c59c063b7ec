<?php
class Configuration
{
	public static function getConfig()
	{
		$config = array(
				// values: 'sandbox' for testing, 'live' for production
				"mode" => "sandbox",
				"service.EndPoint" => "https://api-3t.sandbox.paypal.com/2.0",
				'log.LogEnabled' => true,
				'log.FileName' => '../logs/PayPal.log',
				'log.LogLevel' => 'FINE'
		);
		return $config;
	}

	public static function getAcctAndConfig()
	{
		$config = array(
				"acct1.UserName" => "cedar-ridge_api1.cedar-ridge.example",
				"acct1.Password" => getenv('PAYPAL_API_PASSWORD'),
				"acct1.Signature" => getenv('PAYPAL_API_SIGNATURE'),
		);
		return array_merge($config, self::getConfig());
	}
}
