const braintree = require('braintree');
const dotenv = require('dotenv');

dotenv.config();

// BT_ENVIRONMENT names a braintree.Environment member: Sandbox or Production.
const localEnvironment = `${process.env.BT_ENVIRONMENT.charAt(0).toUpperCase()}${process.env.BT_ENVIRONMENT.slice(1)}`;

const gateway = new braintree.BraintreeGateway({
  environment: braintree.Environment[localEnvironment],
  merchantId: process.env.BT_MERCHANT_ID,
  publicKey: process.env.BT_PUBLIC_KEY,
  privateKey: process.env.BT_PRIVATE_KEY,
});

module.exports = gateway;
