// The same kind of bundle, in French, with meaningless field names: the
// form posts straight to the provider (direct post), so the page is A-EP.
(function () {
  var form = document.createElement('form');
  form.method = 'post';
  form.action = 'https://secure.checkout.com/direct-post';
  form.innerHTML =
    '<label for="f1">Numéro de carte</label><input id="f1" name="f1">' +
    '<label for="f2">Date d\u2019expiration</label><input id="f2" name="f2">' +
    '<label for="f3">Cryptogramme visuel</label><input id="f3" name="f3" inputmode="numeric" maxlength="4">';
  document.getElementById('root').appendChild(form);
})();
