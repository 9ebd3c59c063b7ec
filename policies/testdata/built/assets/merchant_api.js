// The merchant's own single-page checkout: it renders the card form and
// posts it to the merchant's API, on a host of its own beside the shop's.
(function () {
  var form = document.createElement('form');
  form.method = 'post';
  form.action = 'https://api.shop.example/v1/payments';
  form.innerHTML =
    '<label for="pan">Card number</label><input id="pan" name="pan" autocomplete="cc-number">' +
    '<label for="cvc">CVC</label><input id="cvc" name="cvc" autocomplete="cc-csc">' +
    '<button>Pay</button>';
  document.getElementById('root').appendChild(form);
})();
