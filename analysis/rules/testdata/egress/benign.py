import os

import requests

BASE = "https://westeurope-1.cognitedata.com"


def handle(client, data, secrets):
    token = requests.post("https://login.microsoftonline.com/acme/oauth2/v2.0/token", data={"client_id": secrets["id"], "client_secret": secrets["secret"], "grant_type": "client_credentials"}, timeout=10).json()["access_token"]
    requests.post(f"{BASE}/api/v1/projects/{client.config.project}/events/list", headers={"Authorization": f"Bearer {token}"}, json={"limit": 10}, timeout=10)
    assets = client.assets.list(limit=10)
    requests.post(f"https://{os.environ['CDF_CLUSTER']}.cognitedata.com/api/v1/projects/x/assets", json=[a.dump() for a in assets], timeout=10)
    return {"n": len(assets)}
