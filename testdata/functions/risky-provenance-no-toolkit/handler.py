def handle(client, data):
    return {"events": len(client.events.list(limit=10))}
