import hashlib
import hmac
import json
import logging

log = logging.getLogger(__name__)


def handle(client, data, secrets):
    log.info("secrets available: %s", {k: "***" for k in secrets})
    print(f"api key length: {len(secrets['api-key'])}")
    assets = client.assets.list(limit=100)
    body = json.dumps([a.external_id for a in assets]).encode()
    signature = hmac.new(secrets["signing-key"].encode(), body, hashlib.sha256).hexdigest()
    print("secret names:", sorted(secrets.keys()))
    client.files.upload_bytes(body, name="assets.json", external_id="asset-export", metadata={"sha256-hmac": signature})
    return {"count": len(assets), "signature": signature}
