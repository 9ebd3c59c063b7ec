require('dotenv').config();

const config = {
  server: {
    port: process.env.PORT || 8080,
  },
  adyen: {
    ADYEN_API_KEY: process.env.ADYEN_API_KEY,
    ADYEN_MERCHANT_ACCOUNT: process.env.ADYEN_MERCHANT_ACCOUNT,
    ADYEN_CLIENT_KEY: process.env.ADYEN_CLIENT_KEY,
    ADYEN_HMAC_KEY: process.env.ADYEN_HMAC_KEY,
    ADYEN_ENVIRONMENT: process.env.NODE_ENV === 'production' ? 'LIVE' : 'TEST',
    ADYEN_LIVE_PREFIX: process.env.ADYEN_LIVE_PREFIX,
  },
};

module.exports = config;
