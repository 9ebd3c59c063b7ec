import base64
import hashlib
from Crypto.PublicKey import RSA
from Crypto.Signature import pss
from Crypto.Hash import SHA256

import settings


def canonical_request(method, path, headers, payload):
    signed = ";".join(sorted(headers))
    lines = [method, path, ""] + [f"{k}:{headers[k]}" for k in sorted(headers)]
    lines += ["", signed, hashlib.sha256(payload.encode()).hexdigest()]
    return "\n".join(lines), signed


def sign(string_to_sign):
    key = RSA.import_key(open(settings.AMAZON_PAY_PRIVATE_KEY_PATH).read())
    digest = SHA256.new(string_to_sign.encode())
    return base64.b64encode(pss.new(key, salt_bytes=32).sign(digest)).decode()
