import ast
import json

import pandas as pd
import yaml


def handle(client, data):
    bounds = ast.literal_eval(data.get("bounds", "(0, 100)"))
    config = yaml.safe_load(data.get("config", "columns: [value]"))
    extra = json.loads(data.get("extra", "{}"))
    df = client.time_series.data.retrieve_dataframe(external_id=data["external_id"], start="1d-ago", end="now")
    df.columns = ["value"]
    inside = df.query("value > 0")
    inside = inside[(inside.value >= bounds[0]) & (inside.value <= bounds[1])]
    return {"rows": int(inside.shape[0]), "columns": config.get("columns", []), "extra": len(extra)}
