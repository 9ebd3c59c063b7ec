// payments client
const api = 'https://api.sandbox.acmepay.test/v1/charges';
AcmePay.mode = 'sandbox';
