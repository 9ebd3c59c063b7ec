window.paypal
  .Buttons({
    style: { shape: "rect", layout: "vertical" },
    async createOrder() {
      const response = await fetch("/api/orders", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ cart: [{ id: "YOUR_PRODUCT_ID", quantity: "1" }] }),
      });
      const orderData = await response.json();
      return orderData.id;
    },
    async onApprove(data, actions) {
      const response = await fetch(`/api/orders/${data.orderID}/capture`, { method: "POST" });
      const orderData = await response.json();
      document.querySelector("#result-message").textContent = orderData.status;
    },
  })
  .render("#paypal-button-container");
