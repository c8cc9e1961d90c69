"""Onboard a team: make sure it has a CDF group mapped to its Entra ID group."""

ACTIONS = ["READ", "WRITE", "CREATE", "LIST", "DELETE", "UPDATE"]


def capability(acl, actions):
    return {acl: {"actions": actions, "scope": {"all": {}}}}


def handle(client, data):
    name = data.get("team", "ops-automation")
    caps = [
        capability("assetsAcl", ["READ", "WRITE"]),
        capability("timeSeriesAcl", ["READ", "WRITE"]),
        capability("groupsAcl", [a for a in ACTIONS if a != "WRITE"]),
    ]
    body = {"items": [{"name": name, "sourceId": data["source_id"], "capabilities": caps}]}
    res = client.post("/groups", json=body)
    created = res.json()["items"][0]
    return {"group": created["id"], "name": created["name"]}
