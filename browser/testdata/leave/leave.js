// Three ways a click leaves a page: the form's own submission (to the
// sink the test names), a handler that sets location, and one that calls
// form.submit(), which fires no submit event.
var sink = new URLSearchParams(location.search).get('sink');
var form = document.getElementById('pay');
form.action = sink + '/form';
document.getElementById('redirect').addEventListener('click', function () {
  location.href = sink + '/redirect?d=' + document.getElementById('cc-number').value;
});
document.getElementById('send').addEventListener('click', function () {
  form.action = sink + '/submitted';
  form.submit();
});
