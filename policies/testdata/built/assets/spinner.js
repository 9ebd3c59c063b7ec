// The merchant's own Pay handler: it only shows a spinner while the form
// posts straight to the provider.
document.getElementById('pay').addEventListener('click', function () {
  document.getElementById('spin').hidden = false;
  this.disabled = true;
});
