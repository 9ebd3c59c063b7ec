import { Client, Environment, LogLevel } from "@paypal/paypal-server-sdk";

export const client = new Client({
  clientCredentialsAuthCredentials: {
    oAuthClientId: process.env.PAYPAL_CLIENT_ID!,
    oAuthClientSecret: process.env.PAYPAL_CLIENT_SECRET!,
  },
  environment: Environment.Production,
  logging: { logLevel: LogLevel.Info },
});
