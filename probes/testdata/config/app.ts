import type { Config } from "./types";

const config: Config = {
  paypal: { mode: "live" as const, clientId: "AXexample" },
};

export default config;
export const stripeApiVersion = "2024-06-20";
