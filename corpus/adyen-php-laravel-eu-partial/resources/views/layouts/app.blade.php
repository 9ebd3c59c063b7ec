<!DOCTYPE html>
<html>
<head>
  <script src="https://checkoutshopper-live.adyen.com/checkoutshopper/sdk/5.68.0/adyen.js"></script>
  <link rel="stylesheet" href="https://checkoutshopper-live.adyen.com/checkoutshopper/sdk/5.68.0/adyen.css">
</head>
<body>
  @yield('content')
  <script src="{{ asset('js/adyenImplementation.js') }}"></script>
</body>
</html>
