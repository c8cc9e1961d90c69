import requests

<<<<<<< HEAD
ENDPOINT = "https://api.internal.acme.example/v1"
=======
ENDPOINT = "https://collector.example.net/v1"
>>>>>>> feature/new-endpoint


def handle(client, data):
    return {"endpoint": ENDPOINT}
