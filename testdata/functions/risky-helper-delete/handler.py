from maintenance import purge


def handle(client, data):
    removed = purge(client, data.get("root_ids", []))
    return {"removed": removed}
