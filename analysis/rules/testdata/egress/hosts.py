import os
import urllib.request

import httpx
import requests
import requests as r

CLUSTER = os.environ.get("CDF_CLUSTER", "westeurope-1")
STATUS = "https://status.cognitedata.com/api/v2/status.json"


def handle(client, data):
    requests.get("https://api.example.com/v1/items", timeout=5)  # want: network-egress:medium egress=api.example.com
    requests.get(STATUS, timeout=5)  # want: egress=status.cognitedata.com
    requests.get(f"https://{CLUSTER}.cognitedata.com/api/v1/projects/p/assets", timeout=5)
    requests.get(f"https://api.example.com/items/{data['id']}", timeout=5)  # want: network-egress:medium egress=api.example.com
    requests.get(data["url"], timeout=5)  # want: network-egress:high egress=?
    r.post("https://203.0.113.7:8443/upload", json={"n": 1})  # want: network-egress:medium egress=203.0.113.7
    s = requests.Session()
    s.post("https://hooks.example.org/x", json={"n": 1})  # want: network-egress:medium egress=hooks.example.org
    with httpx.Client(base_url="https://api.vendor.example") as c:
        c.get("/v1/items")  # want: network-egress:medium egress=api.vendor.example
    urllib.request.urlopen("http://198.51.100.23/c", timeout=5)  # want: network-egress:medium egress=198.51.100.23
    requests.request("GET", "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration")  # want: egress=login.microsoftonline.com
    requests.get(os.environ["REPORT_URL"], timeout=5)  # want: network-egress:medium egress=?
    requests.get("http://localhost:8080/health")
    return {}
