from helpers import load_config, to_assets
from helpers.cdf_io import upsert_assets


def handle(client, data):
    config = load_config(data)
    assets = to_assets(config["rows"], config["root"])
    n = upsert_assets(client, assets)
    return {"assets": n}
