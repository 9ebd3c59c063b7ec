<?php
require_once('../PPBootStrap.php');

$address = new AddressType();
$address->Name = $_POST['firstName'] . ' ' . $_POST['lastName'];
$address->Street1 = $_POST['address1'];
$address->CityName = $_POST['city'];
$address->StateOrProvince = $_POST['state'];
$address->PostalCode = $_POST['zip'];
$address->Country = $_POST['country'];

$cardDetails = new CreditCardDetailsType();
$cardDetails->CreditCardNumber = $_POST['creditCardNumber'];
$cardDetails->CreditCardType = $_POST['creditCardType'];
$cardDetails->ExpMonth = $_POST['expDateMonth'];
$cardDetails->ExpYear = $_POST['expDateYear'];
$cardDetails->CVV2 = $_POST['cvv2Number'];

$paymentService = new PayPalAPIInterfaceServiceService(Configuration::getAcctAndConfig());
$response = $paymentService->DoDirectPayment($doDirectPaymentReq);
