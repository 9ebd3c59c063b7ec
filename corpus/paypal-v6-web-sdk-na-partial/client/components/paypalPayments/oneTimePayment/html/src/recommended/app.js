async function onPayPalWebSdkLoaded() {
  const clientToken = await getBrowserSafeClientToken();
  const sdkInstance = await window.paypal.createInstance({
    clientToken,
    components: ["paypal-payments"],
    pageType: "checkout",
  });
  const session = sdkInstance.createPayPalOneTimePaymentSession({
    onApprove: async (data) => fetch(`/paypal-api/checkout/orders/${data.orderId}/capture`, { method: "POST" }),
  });
  document.getElementById("paypal-button").addEventListener("click", () => session.start({ presentationMode: "auto" }, createOrder()));
}

async function getBrowserSafeClientToken() {
  const response = await fetch("/paypal-api/auth/browser-safe-client-token");
  const { accessToken } = await response.json();
  return accessToken;
}
