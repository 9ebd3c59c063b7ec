const clientKey = document.getElementById("clientKey").innerHTML;

async function initCheckout() {
  const session = await fetch("/api/sessions", { method: "POST" }).then((r) => r.json());
  const checkout = await AdyenCheckout({
    clientKey,
    environment: "live-au",
    session: { id: session.id, sessionData: session.sessionData },
    onPaymentCompleted: (result, component) => handleServerResponse(result, component),
  });
  checkout.create("dropin").mount("#dropin-container");
}

initCheckout();
