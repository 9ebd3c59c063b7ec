// Server side: creates the payment session for Drop-in.
const config = require('../../config/payments.yaml');

async function createSession(cart, http) {
  return http.post(`${config.adyen.checkout_url}/sessions`, {
    merchantAccount: process.env.ADYEN_MERCHANT_ACCOUNT,
    amount: { currency: 'EUR', value: cart.totalCents },
    reference: cart.id,
    returnUrl: config.adyen.return_url,
  });
}

module.exports = { createSession };
