// Not an Adyen file: another widget's environment is none of Adyen's business.
const widget = { environment: "test" };
