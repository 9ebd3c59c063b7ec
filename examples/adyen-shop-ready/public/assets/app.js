// Client bundle of the checkout page: mounts Drop-in.
async function mountDropin(session) {
  const checkout = await AdyenCheckout({
    environment: 'live',
    clientKey: 'live_Q4LSW5KXNRGZJHTNYCV2M3BXSAE7ID2P',
    session,
  });
  return checkout.create('dropin').mount('#dropin-container');
}
