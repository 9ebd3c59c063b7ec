<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>PayPal Merchant SDK - DoDirectPayment</title>
</head>
<body>
  <form name="DoDirectPaymentForm" action="DoDirectPayment.php" method="POST">
    <input type="text" name="firstName" value="">
    <input type="text" name="lastName" value="">
    <select name="creditCardType">
      <option value="Visa">Visa</option>
      <option value="MasterCard">MasterCard</option>
    </select>
    <input type="text" size="19" maxlength="19" name="creditCardNumber" autocomplete="cc-number">
    <select name="expDateMonth"><option value="1">01</option></select>
    <select name="expDateYear"><option value="2028">2028</option></select>
    <input type="text" size="3" maxlength="4" name="cvv2Number" autocomplete="cc-csc">
    <input type="text" name="address1"><input type="text" name="city">
    <input type="text" name="state"><input type="text" name="zip"><input type="text" name="country" value="US">
    <input type="submit" value="DoDirectPayment">
  </form>
</body>
</html>
