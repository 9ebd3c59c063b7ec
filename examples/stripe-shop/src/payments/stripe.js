// Server side: creates the PaymentIntent for the cart.
const Stripe = require('stripe');

const stripe = Stripe(process.env.STRIPE_SECRET_KEY, { apiVersion: '2026-08-26.dahlia' });

async function createPaymentIntent(cart) {
  return stripe.paymentIntents.create({
    amount: cart.totalCents,
    currency: 'eur',
    automatic_payment_methods: { enabled: true },
    metadata: { cart_id: cart.id },
  });
}

module.exports = { createPaymentIntent };
