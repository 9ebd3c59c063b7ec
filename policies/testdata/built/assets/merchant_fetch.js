// The merchant's own checkout code: unnamed inputs (the form sends
// nothing), and a submit handler that posts the card to its own API.
document.getElementById('paiement').addEventListener('submit', function (e) {
  e.preventDefault();
  fetch('/api/paiement', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({numero: document.getElementById('numero').value, crypto: document.getElementById('crypto').value})
  }).catch(function () {});
});
