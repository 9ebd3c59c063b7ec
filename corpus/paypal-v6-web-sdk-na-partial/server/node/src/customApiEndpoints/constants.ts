export const BASE_URL = "https://api-m.sandbox.paypal.com";
