def upsert_assets(client, assets):
    client.assets.upsert(assets, mode="patch")
    return len(assets)
