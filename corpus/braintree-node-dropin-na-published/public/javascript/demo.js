const form = document.querySelector('#payment-form');
const clientToken = document.querySelector('#client-token').value;

braintree.dropin.create({ authorization: clientToken, container: '#bt-dropin' }, (err, instance) => {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    instance.requestPaymentMethod((err2, payload) => {
      document.querySelector('#nonce').value = payload.nonce;
      form.submit();
    });
  });
});
