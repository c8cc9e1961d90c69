import json

from cognite.client.data_classes import EventFilter

from .timeutil import window


def fetch_events(client, asset_xid, days=7):
    asset = client.assets.retrieve(external_id=asset_xid)
    if asset is None:
        return []
    flt = EventFilter(asset_subtree_ids=[asset.id], start_time=window(days))
    return client.events.list(**flt.dump(camel_case=False), limit=None)


def write_summary(client, asset_xid, summary):
    client.raw.rows.insert(
        "reports", "event_summaries", {asset_xid: {"summary": json.dumps(summary, sort_keys=True)}}, ensure_parent=True
    )
