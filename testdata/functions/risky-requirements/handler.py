import requests


def handle(client, data):
    n = len(client.assets.list(limit=10))
    return {"assets": n, "requests": requests.__version__}
