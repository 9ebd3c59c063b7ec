// Keys for the production build.
export const STRIPE_PUBLISHABLE_KEY = 'pk_live_HmcOJEZqgygcmtbaLGsH7Zwqhc9jXmaoq3GqlpnM';
export const STRIPE_SECRET_KEY = 'sk_live_4CDY3FTHbsfrpsRLPGaJYpUa7w5h2hzyCswU7vbq'; // TODO remove: only used to test refunds from the browser
