package com.stripe.sample;

import static spark.Spark.*;

import com.stripe.Stripe;
import com.stripe.model.PaymentIntent;
import com.stripe.net.Webhook;
import com.stripe.param.PaymentIntentCreateParams;
import io.github.cdimascio.dotenv.Dotenv;

public class Server {
    public static void main(String[] args) {
        Dotenv dotenv = Dotenv.load();
        // stripe-java pins the API version it was built for.
        Stripe.apiKey = dotenv.get("STRIPE_SECRET_KEY");
        staticFiles.externalLocation(dotenv.get("STATIC_DIR"));

        get("/create-payment-intent", (request, response) -> {
            PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(2500L).setCurrency("usd")
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder().setEnabled(true).build())
                .build();
            return PaymentIntent.create(params).getClientSecret();
        });

        post("/webhook", (request, response) -> {
            var event = Webhook.constructEvent(request.body(), request.headers("Stripe-Signature"), dotenv.get("STRIPE_WEBHOOK_SECRET"));
            if ("payment_intent.succeeded".equals(event.getType())) {
                System.out.println("Payment succeeded");
            }
            return "";
        });
    }
}
