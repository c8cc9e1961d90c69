import requests
from cognite.client.data_classes import Event

API = "https://api.vendor-maintenance.example/v2/alerts"


def fetch_alerts(api_key: str, since: int) -> list:
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    resp = requests.get(API, headers=headers, params={"since": since}, timeout=30)
    resp.raise_for_status()
    return resp.json()["alerts"]


def handle(client, data, secrets):
    alerts = fetch_alerts(secrets["vendor-key"], int(data.get("since", 0)))
    events = [Event(external_id=f"alert-{a['id']}", type="maintenance", subtype=a["severity"], description=a["text"], start_time=a["ts"]) for a in alerts]
    client.events.create(events)
    print(f"created {len(events)} events")
    return {"events": len(events)}
