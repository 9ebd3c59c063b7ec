// Client bundle of the checkout page.
const stripe = Stripe(document.querySelector('meta[name=stripe-key]').content);

async function mountPaymentElement(clientSecret) {
  const elements = stripe.elements({ clientSecret });
  elements.create('payment').mount('#payment-element');
  return elements;
}
