/* Defect: a copy of Stripe.js saved from js.stripe.com and served by the shop. */
(function () { window.Stripe = window.Stripe || function () { throw new Error('stale Stripe.js copy'); }; })();
