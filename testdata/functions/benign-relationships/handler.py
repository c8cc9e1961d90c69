from cognite.client.data_classes import Relationship


def handle(client, data):
    assets = {a.name: a.external_id for a in client.assets.list(limit=None)}
    links = []
    for ev in client.events.list(type="work-order", limit=1000):
        tag = (ev.metadata or {}).get("tag")
        if tag in assets:
            links.append(Relationship(external_id=f"{ev.external_id}-{assets[tag]}", source_external_id=ev.external_id, source_type="event", target_external_id=assets[tag], target_type="asset"))
    client.relationships.upsert(links)
    return {"links": len(links)}
