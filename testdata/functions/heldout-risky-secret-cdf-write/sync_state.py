import json
from datetime import datetime, timezone


class SyncState:
    """Keeps the last run's state on the root asset so the next run can resume."""

    def __init__(self, client, root_xid):
        self.client = client
        self.root = client.assets.retrieve(external_id=root_xid)

    def save(self, cursor, auth):
        asset = self.root
        meta = dict(asset.metadata or {})
        meta["sync_cursor"] = cursor
        meta["sync_auth"] = auth
        meta["sync_at"] = datetime.now(timezone.utc).isoformat()
        asset.metadata = meta
        self.client.assets.update(asset)


def snapshot(client, run_id, settings):
    row = {"settings": json.dumps(settings), "status": "started"}
    client.raw.rows.insert("ops_runs", "function_runs", {run_id: row}, ensure_parent=True)
