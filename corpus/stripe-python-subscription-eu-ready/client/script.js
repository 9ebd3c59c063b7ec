fetch('/config')
  .then((r) => r.json())
  .then(({ publishableKey }) => {
    window.stripeClient = Stripe(publishableKey);
  });
