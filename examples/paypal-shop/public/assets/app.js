// Client bundle of the checkout page: renders the PayPal buttons.
paypal.Buttons({
  createOrder: () => fetch('/api/paypal/orders', { method: 'POST' }).then((r) => r.json()).then((o) => o.id),
  onApprove: (data) => fetch(`/api/paypal/orders/${data.orderID}/capture`, { method: 'POST' }),
}).render('#paypal-buttons');
