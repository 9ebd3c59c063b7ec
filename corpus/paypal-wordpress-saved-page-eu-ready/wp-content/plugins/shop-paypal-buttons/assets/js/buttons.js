jQuery(function ($) {
  paypal_sdk.Buttons({
    createOrder: () => $.post('/?wc-ajax=shop_paypal_create_order').then((r) => r.id),
    onApprove: (data) => $.post('/?wc-ajax=shop_paypal_approve_order', { order_id: data.orderID }),
  }).render('#paypal-button-container');
});
