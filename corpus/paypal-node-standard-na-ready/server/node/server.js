import express from "express";
import "dotenv/config";
import {
  ApiError,
  Client,
  Environment,
  LogLevel,
  OrdersController,
} from "@paypal/paypal-server-sdk";

const { PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PORT = 8080 } = process.env;

const client = new Client({
  clientCredentialsAuthCredentials: {
    oAuthClientId: PAYPAL_CLIENT_ID,
    oAuthClientSecret: PAYPAL_CLIENT_SECRET,
  },
  timeout: 0,
  environment: Environment.Production,
  logging: { logLevel: LogLevel.Info, logRequest: { logBody: true }, logResponse: { logHeaders: true } },
});

const ordersController = new OrdersController(client);

const app = express();
app.use(express.json());

app.post("/api/orders", async (req, res) => {
  const { body } = await ordersController.createOrder({
    body: { intent: "CAPTURE", purchaseUnits: [{ amount: { currencyCode: "USD", value: "100.00" } }] },
    prefer: "return=minimal",
  });
  res.status(201).json(JSON.parse(body));
});

app.post("/api/orders/:orderID/capture", async (req, res) => {
  const { body } = await ordersController.captureOrder({ id: req.params.orderID, prefer: "return=minimal" });
  res.json(JSON.parse(body));
});

app.listen(PORT);
