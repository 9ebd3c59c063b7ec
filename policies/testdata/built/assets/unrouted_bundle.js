// Card inputs outside any form; the merchant's own code sends them with
// fetch when the button is pressed — where to, the page does not show
// until someone pays.
document.addEventListener('DOMContentLoaded', function () {
  document.getElementById('pay').innerHTML =
    '<input id="cc" autocomplete="cc-number" placeholder="Card number">' +
    '<input id="exp" autocomplete="cc-exp" placeholder="MM/YY">' +
    '<input id="cvc" autocomplete="cc-csc" placeholder="CVC">' +
    '<button id="go">Pay</button>';
  document.getElementById('go').addEventListener('click', function () {
    fetch('/api/charge', {method: 'POST', body: JSON.stringify({cc: document.getElementById('cc').value})});
  });
});
