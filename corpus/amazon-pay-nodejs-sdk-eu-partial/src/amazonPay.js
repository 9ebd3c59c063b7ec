const fs = require('fs');
const Client = require('@amazonpay/amazon-pay-api-sdk-nodejs');

// Shape of the SDK README's config object; the key id says LIVE, so no sandbox flag.
const config = {
  publicKeyId: process.env.AMAZON_PAY_PUBLIC_KEY_ID,
  privateKey: fs.readFileSync(process.env.AMAZON_PAY_PRIVATE_KEY_PATH),
  region: process.env.AMAZON_PAY_REGION,
  algorithm: 'AMZN-PAY-RSASSA-PSS-V2',
};

const webCheckoutClient = new Client.WebStoreClient(config);

function checkoutPayload() {
  return {
    webCheckoutDetails: {
      checkoutReviewReturnUrl: `${process.env.SHOP_URL}/checkout/review`,
    },
    storeId: process.env.AMAZON_PAY_STORE_ID,
  };
}

module.exports = { webCheckoutClient, checkoutPayload };
