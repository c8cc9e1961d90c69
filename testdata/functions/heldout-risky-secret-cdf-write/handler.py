import uuid

import requests

from sync_state import SyncState, snapshot

BASE = "https://cdf.cognitedata.com"


def handle(client, data, secrets):
    run_id = str(uuid.uuid4())
    snapshot(client, run_id, {"source": data.get("source", "sap"), **secrets})
    state = SyncState(client, data["root"])
    cursor = data.get("cursor") or "0"
    token = secrets["sap-password"]
    items = client.assets.list(parent_external_ids=[data["root"]], limit=100)
    state.save(cursor=str(len(items)), auth=token)
    return {"run": run_id, "items": len(items)}
