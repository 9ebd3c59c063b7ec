// Server side: one gateway for the whole shop, configured from the environment.
const braintree = require("braintree");

const gateway = new braintree.BraintreeGateway({
  environment: braintree.Environment[process.env.BRAINTREE_ENVIRONMENT === "sandbox" ? "Sandbox" : "Production"],
  merchantId: process.env.BRAINTREE_MERCHANT_ID,
  publicKey: process.env.BRAINTREE_PUBLIC_KEY,
  privateKey: process.env.BRAINTREE_PRIVATE_KEY,
});

module.exports = gateway;
