// A single-page checkout: the card form exists only once this runs, and it
// posts to the merchant's own backend.
(function () {
  var form = document.createElement('form');
  form.method = 'post';
  form.setAttribute('action', '/api/orders/pay');
  var fields = [['Card number', 'number', 'cc-number'], ['Expiry', 'expiry', 'cc-exp'], ['CVC', 'cvc', 'cc-csc']];
  fields.forEach(function (f) {
    var label = document.createElement('label');
    label.textContent = f[0];
    var input = document.createElement('input');
    input.name = f[1];
    input.setAttribute('autocomplete', f[2]);
    label.appendChild(input);
    form.appendChild(label);
  });
  document.getElementById('root').appendChild(form);
})();
