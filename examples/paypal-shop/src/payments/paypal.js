// Server side: creates and captures PayPal orders.
const config = require('../../config/payments.yaml');

async function createOrder(cart, http, token) {
  return http.post(`${config.paypal.api_base}/v2/checkout/orders`, {
    intent: 'CAPTURE',
    purchase_units: [{ reference_id: cart.id, amount: { currency_code: 'EUR', value: cart.total } }],
  }, { headers: { Authorization: `Bearer ${token}` } });
}

module.exports = { createOrder };
