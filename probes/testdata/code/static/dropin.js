/* Drop-in: environment: "live" once we launch */
const configuration = {
  clientKey,
  locale: "en_US",
  environment: "test",
  showPayButton: true,
};
const checkout = await AdyenCheckout(configuration);
