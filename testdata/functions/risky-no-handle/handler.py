def main(client, data):
    return {"assets": len(client.assets.list(limit=10))}
