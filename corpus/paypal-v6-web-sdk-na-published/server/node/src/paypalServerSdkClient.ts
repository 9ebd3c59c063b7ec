import { Client, Environment, LogLevel } from "@paypal/paypal-server-sdk";

export const client = new Client({
  clientCredentialsAuthCredentials: {
    oAuthClientId: process.env.PAYPAL_CLIENT_ID!,
    oAuthClientSecret: process.env.PAYPAL_CLIENT_SECRET!,
  },
  environment: Environment.Sandbox,
  logging: { logLevel: LogLevel.Info },
});
