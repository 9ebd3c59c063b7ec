<?php require_once '../config.php'; ?>
<!DOCTYPE html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <title>Zahlungsdetails</title>
  <script type="text/javascript">
    window.onAmazonLoginReady = function () {
      amazon.Login.setClientId('<?php echo $amazonpay_config['client_id']; ?>');
    };
    window.onAmazonPaymentsReady = function () {
      new OffAmazonPayments.Widgets.AddressBook({
        sellerId: '<?php echo $amazonpay_config['merchant_id']; ?>',
        onOrderReferenceCreate: function (orderReference) {
          document.getElementById('orderReferenceId').value = orderReference.getAmazonOrderReferenceId();
        },
        design: { designMode: 'responsive' }
      }).bind('addressBookWidgetDiv');
      new OffAmazonPayments.Widgets.Wallet({
        sellerId: '<?php echo $amazonpay_config['merchant_id']; ?>',
        design: { designMode: 'responsive' }
      }).bind('walletWidgetDiv');
    };
  </script>
</head>
<body>
  <div id="addressBookWidgetDiv"></div>
  <div id="walletWidgetDiv"></div>
  <input type="hidden" id="orderReferenceId">
  <script async="async" type="text/javascript" src="https://static-eu.payments-amazon.com/OffAmazonPayments/eur/sandbox/lpa/js/Widgets.js"></script>
</body>
</html>
