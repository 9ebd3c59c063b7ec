import os
import uuid

from Adyen import AdyenCheckoutApi
from Adyen.client import AdyenClient


def adyen_sessions(host_url):
    adyen_client = AdyenClient()
    adyen_client.xapikey = os.environ["ADYEN_API_KEY"]
    adyen_client.platform = os.environ["ADYEN_ENVIRONMENT"]
    checkout_service = AdyenCheckoutApi(client=adyen_client)

    request = {
        "amount": {"value": "10000", "currency": "USD"},
        "reference": f"Reference {uuid.uuid4()}",
        "returnUrl": f"{host_url}handleShopperRedirect?shopperOrder=myRef",
        "countryCode": "US",
        "merchantAccount": os.environ["ADYEN_MERCHANT_ACCOUNT"],
    }
    return checkout_service.payments_api.sessions(request).message
