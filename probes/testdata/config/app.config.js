// Payment settings as a CommonJS module (Adyen's Node samples keep them so).
/* environment: "test", */
module.exports = {
  adyen: {
    environment: "live",
    clientKey: 'live_EXAMPLE',
    timeoutMs: 1500,
    apiKey: process.env.ADYEN_API_KEY,
  },
  currencies: ["EUR", `GBP`],
  debug: false,
};
