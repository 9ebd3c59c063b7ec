const express = require('express');
const { resolve } = require('path');
require('dotenv').config({ path: './.env' });

const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);

const app = express();
app.use(express.static(process.env.STATIC_DIR));
app.use((req, res, next) => {
  if (req.originalUrl.startsWith('/webhook')) next();
  else express.json()(req, res, next);
});

app.get('/config', (req, res) => {
  res.send({ publishableKey: process.env.STRIPE_PUBLISHABLE_KEY });
});

app.get('/create-payment-intent', async (req, res) => {
  const paymentIntent = await stripe.paymentIntents.create({
    currency: 'usd',
    amount: 5999,
    automatic_payment_methods: { enabled: true },
  });
  res.send({ clientSecret: paymentIntent.client_secret });
});

app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.sendStatus(400);
  }
  if (event.type === 'payment_intent.succeeded') {
    console.log('Payment captured');
  } else if (event.type === 'payment_intent.payment_failed') {
    console.log('Payment failed');
  }
  res.sendStatus(200);
});

app.listen(4242);
