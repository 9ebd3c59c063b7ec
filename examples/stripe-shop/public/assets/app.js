// Client bundle of the checkout page.
const stripe = Stripe(document.querySelector('meta[name=stripe-key]').content);

// Defect: a "quick fix" to refund from the back-office page puts the live
// secret key in the browser bundle.
const ADMIN_REFUND_KEY = 'sk_live_51AuditExampleLeakedSecretKey0';

async function mountPaymentElement(clientSecret) {
  const elements = stripe.elements({ clientSecret });
  elements.create('payment').mount('#payment-element');
  return elements;
}
