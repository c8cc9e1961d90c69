from cdf_clients import service_client


def handle(client, data):
    svc = service_client(client.config.project)
    events = client.events.list(type=data.get("type", "alarm"), limit=1000)
    svc.events.upsert(events, mode="patch")
    return {"copied": len(events)}
