const { Client, Config, CheckoutAPI } = require('@adyen/api-library');
const config = require('../config');

const adyenConfig = new Config();
adyenConfig.apiKey = config.adyen.ADYEN_API_KEY;
const client = new Client({ config: adyenConfig });
client.setEnvironment(config.adyen.ADYEN_ENVIRONMENT, config.adyen.ADYEN_LIVE_PREFIX);
const checkout = new CheckoutAPI(client);

async function createSession(host) {
  return checkout.PaymentsApi.sessions({
    amount: { currency: 'EUR', value: 10000 },
    countryCode: 'DE',
    merchantAccount: config.adyen.ADYEN_MERCHANT_ACCOUNT,
    reference: `order-${Date.now()}`,
    returnUrl: `${host}/handleShopperRedirect`,
  });
}

module.exports = { createSession };
