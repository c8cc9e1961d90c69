def handle(client, data, secrets):
    api_key = secrets["api-key"]
    print("using key", api_key)
    assets = client.assets.list(limit=5)
    return {"assets": len(assets), "password": secrets.get("db-password")}
