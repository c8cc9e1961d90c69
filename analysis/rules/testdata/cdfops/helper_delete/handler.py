from maintenance import purge as cleanup


def handle(client, data):
    removed = cleanup(client, data.get("root_ids", []))
    return {"removed": removed}
