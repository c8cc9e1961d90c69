import hashlib
import json


def row_key(columns: dict) -> str:
    return hashlib.md5(json.dumps(columns, sort_keys=True).encode()).hexdigest()


def handle(client, data):
    for key in ("db", "table"):
        if key not in data:
            raise ValueError(f"missing input key {key!r}")
    rows = client.raw.rows.list(data["db"], data["table"], limit=-1)
    unique = {row_key(r.columns): r.columns for r in rows}
    client.raw.rows.insert(data["db"], data["table"] + "_dedup", unique, ensure_parent=True)
    return {"before": len(rows), "after": len(unique)}
