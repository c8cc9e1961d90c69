import hashlib
import logging
import os

import requests
from cognite.client import CogniteClient, ClientConfig
from cognite.client.credentials import OAuthClientCredentials

log = logging.getLogger(__name__)


def handle(client, data, secrets):
    key = secrets["api-key"]
    headers = {"Authorization": f"Bearer {key}"}
    resp = requests.get("https://api.example.com/v1/items", headers=headers, timeout=10)
    log.info("status %s", resp.status_code)
    print("fingerprint", hashlib.sha256(key.encode()).hexdigest())
    print("key set:", bool(key), "length:", len(key))
    creds = OAuthClientCredentials(
        token_url=secrets["token-url"], client_id=secrets["client-id"],
        client_secret=secrets["client-secret"], scopes=["https://x/.default"])
    other = CogniteClient(ClientConfig(client_name="x", project="p", credentials=creds))
    assets = other.assets.list(limit=10)
    print("found", len(assets), "assets")
    log.info("project %s", client.config.project)
    home = os.environ.get("HOME")
    print(home)
    log.info("secrets available: %s", {k: "***" for k in secrets})
    print("secret names:", sorted(secrets.keys()), list(os.environ))
    for name in secrets:
        print("have", name)
    if key == data.get("expected"):
        print("match")
    return {"count": len(assets), "items": [a.name for a in assets]}
