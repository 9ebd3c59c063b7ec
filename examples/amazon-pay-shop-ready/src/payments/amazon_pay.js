// Server-side Amazon Pay client of the shop.
const fs = require('fs');

const config = {
  publicKeyId: process.env.AMAZON_PAY_PUBLIC_KEY_ID,
  privateKey: fs.readFileSync(process.env.AMAZON_PAY_PRIVATE_KEY_PATH),
  region: 'eu',
};

const API = 'https://pay-api.amazon.eu/v2';

async function getCheckoutSession(id, signedFetch) {
  return signedFetch(`${API}/checkoutSessions/${id}`, config);
}

module.exports = { getCheckoutSession };
