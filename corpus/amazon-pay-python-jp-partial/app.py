import json
import requests
from flask import Flask, request

import settings
from signature import canonical_request, sign

app = Flask(__name__)


@app.post("/checkout/session/<session_id>/complete")
def complete(session_id):
    payload = json.dumps({"chargeAmount": {"amount": request.form["amount"], "currencyCode": "JPY"}})
    url = f"{settings.AMAZON_PAY_API}/checkoutSessions/{session_id}/complete"
    headers = {"accept": "application/json", "content-type": "application/json"}
    canonical, signed = canonical_request("POST", url, headers, payload)
    auth = f"AMZN-PAY-RSASSA-PSS-V2 PublicKeyId={settings.AMAZON_PAY_PUBLIC_KEY_ID}, SignedHeaders={signed}, Signature={sign(canonical)}"
    return requests.post(url, data=payload, headers={**headers, "authorization": auth}).json()
