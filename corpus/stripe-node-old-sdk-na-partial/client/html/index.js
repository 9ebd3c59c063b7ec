document.addEventListener('DOMContentLoaded', async () => {
  const {publishableKey} = await fetch('/config').then((r) => r.json());
  const stripe = Stripe(publishableKey, { apiVersion: '2023-10-16' });
  const { clientSecret } = await fetch('/create-payment-intent').then((r) => r.json());
  const elements = stripe.elements({ clientSecret });
  elements.create('payment').mount('#payment-element');
  document.getElementById('payment-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const { error } = await stripe.confirmPayment({
      elements,
      confirmParams: { return_url: `${window.location.origin}/return.html` },
    });
    if (error) addMessage(error.message);
  });
});
