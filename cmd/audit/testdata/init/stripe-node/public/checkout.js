document.addEventListener('DOMContentLoaded', async () => {
  const { publishableKey } = await fetch('/config').then((r) => r.json());
  const stripe = Stripe(publishableKey);
  const { clientSecret } = await fetch('/create-payment-intent', { method: 'POST' }).then((r) => r.json());
  const elements = stripe.elements({ clientSecret });
  elements.create('payment').mount('#payment-element');
});
