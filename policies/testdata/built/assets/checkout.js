// The merchant's own bundle beside the provider's iframe: it shows the
// order total. Compromised, it is where a skimmer would sit.
document.getElementById('total').textContent = 'Total: 42.00 EUR';
