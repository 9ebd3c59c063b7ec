const clientKey = document.getElementById("clientKey").innerHTML;
const { AdyenCheckout, Dropin } = window.AdyenWeb;

async function startCheckout() {
  const session = await fetch("/api/sessions", { method: "POST" }).then((r) => r.json());
  const checkout = await AdyenCheckout({
    session: { id: session.id, sessionData: session.sessionData },
    clientKey,
    environment: "live",
    amount: { value: 10000, currency: "EUR" },
    locale: "de_DE",
    countryCode: "DE",
    onPaymentCompleted: (result) => handleResponse(result),
    onError: (error) => console.error(error.message),
  });
  new Dropin(checkout).mount("#dropin-container");
}

startCheckout();
