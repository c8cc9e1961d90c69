from purge import purge


def handle(client, data):
    flt = data.get("metadata", {"status": "decommissioned"})
    prefix = data.get("prefix")
    series = client.time_series.list(metadata=flt, external_id_prefix=prefix, limit=None)
    ids = [ts.id for ts in series]
    removed = purge(client.time_series, ids, dry_run=bool(data.get("dry_run", False)))
    return {"matched": len(ids), "removed": removed}
