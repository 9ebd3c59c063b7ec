import os

AMAZON_PAY_PUBLIC_KEY_ID = "LIVE-G7PRQSE2T3ZZHQOUWQX7JK9R"
AMAZON_PAY_STORE_ID = "amzn1.application-oa2-client.9d8c7b6a5f4e4d3c2b1aStoreId"
AMAZON_PAY_PRIVATE_KEY_PATH = os.environ["AMAZON_PAY_PRIVATE_KEY_PATH"]
AMAZON_PAY_API = "https://pay-api.amazon.jp/sandbox/v2"
REVIEW_RETURN_URL = "https://sakura-shoten.example/checkout/review"
