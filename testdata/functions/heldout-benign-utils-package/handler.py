from utils import fetch_events, summarise, write_summary


def handle(client, data):
    asset_xid = data["asset"]
    events = fetch_events(client, asset_xid, days=data.get("days", 7))
    summary = summarise(events)
    write_summary(client, asset_xid, summary)
    return summary
