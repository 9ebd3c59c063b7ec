import logging
import os

from flask import Flask, request
from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials
from paypalserversdk.logging.configuration.api_logging_configuration import LoggingConfiguration
from paypalserversdk.paypal_serversdk_client import PaypalServersdkClient

app = Flask(__name__)

# No environment argument: the SDK's default applies.
paypal_client: PaypalServersdkClient = PaypalServersdkClient(
    client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
        o_auth_client_id=os.getenv("PAYPAL_CLIENT_ID"),
        o_auth_client_secret=os.getenv("PAYPAL_CLIENT_SECRET"),
    ),
    logging_configuration=LoggingConfiguration(log_level=logging.INFO, mask_sensitive_headers=True),
)

orders_controller = paypal_client.orders


@app.route("/api/orders", methods=["POST"])
def create_order():
    order = orders_controller.create_order({"body": {"intent": "CAPTURE", "purchase_units": [{"amount": {"currency_code": "EUR", "value": "100.00"}}]}})
    return order.body.__dict__
