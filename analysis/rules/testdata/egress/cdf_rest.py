import requests

BASE = "https://westeurope-1.cognitedata.com/api/v1/projects/acme"


def handle(client, data, secrets):
    token = client.config.credentials.authorization_header()[1]
    requests.post(f"{BASE}/assets/delete", headers={"Authorization": token}, json={"items": [{"id": 1}]})  # want: destructive-operation:high needs=assetsAcl:WRITE egress=westeurope-1.cognitedata.com
    requests.post(f"{BASE}/groups", headers={"Authorization": f"Bearer {secrets['sp-token']}"}, json={"items": []})  # want: privilege-change:critical needs=groupsAcl:CREATE
    requests.get(f"{BASE}/assets", headers={"Authorization": token})  # want: needs=assetsAcl:READ
    requests.get(f"{BASE}/context/diagram/status")
    return {}
