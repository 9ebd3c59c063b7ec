// A web component that builds the card form in a closed shadow root:
// outerHTML of the page never shows it. The form posts to the merchant.
customElements.define('checkout-card', class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({mode: 'closed'});
    root.innerHTML = '<form action="/kasse/zahlung" method="post">' +
      '<label>Kartennummer <input name="karte" inputmode="numeric"></label>' +
      '<label>Prüfnummer <input name="pruef" inputmode="numeric" maxlength="4"></label>' +
      '<button>Jetzt bezahlen</button></form>';
  }
});
