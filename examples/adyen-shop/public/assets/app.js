// Client bundle of the checkout page: mounts Drop-in.
async function mountDropin(session) {
  const checkout = await AdyenCheckout({
    environment: 'live',
    // Defect: the client key of the test credential.
    clientKey: 'test_DJQX7UKFPFBW3NOTJ2ZOFKTMQALAXY6W',
    session,
  });
  return checkout.create('dropin').mount('#dropin-container');
}
