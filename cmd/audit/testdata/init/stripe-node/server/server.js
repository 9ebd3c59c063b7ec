const express = require('express');
const { resolve } = require('path');
require('dotenv').config({ path: './.env' });
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);

const app = express();
app.use(express.static(process.env.STATIC_DIR || resolve(__dirname, '../public')));

app.post('/create-payment-intent', async (req, res) => {
  const paymentIntent = await stripe.paymentIntents.create({ amount: 1999, currency: 'eur' });
  res.send({ clientSecret: paymentIntent.client_secret });
});

app.listen(4242, () => console.log('Node server listening on port 4242'));
