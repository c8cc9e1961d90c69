import requests


def handle(client, data):
    url = data["url"]
    body = requests.get(url, timeout=30).content
    client.files.upload_bytes(body, name=data.get("name", "import.bin"), external_id=data.get("xid"))
    return {"bytes": len(body)}
