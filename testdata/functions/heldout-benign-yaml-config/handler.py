from pathlib import Path

import yaml
from cognite.client.data_classes import TimeSeriesWrite

CONFIG_PATH = Path(__file__).with_name("config.yaml")


def load_config(path=CONFIG_PATH):
    with open(path, encoding="utf-8") as fh:
        cfg = yaml.safe_load(fh) or {}
    for key in ("root_asset", "target_prefix", "granularity"):
        if key not in cfg:
            raise KeyError(f"config.yaml is missing {key!r}")
    return cfg


def handle(client, data):
    cfg = {**load_config(), **(data or {})}
    ds = client.data_sets.retrieve(external_id=cfg["dataset_external_id"])
    assets = client.assets.retrieve_subtree(external_id=cfg["root_asset"])
    series = client.time_series.list(
        asset_subtree_ids=[assets.get(external_id=cfg["root_asset"]).id],
        metadata={cfg["source_metadata_key"]: cfg["source_metadata_value"]},
        limit=None,
    )
    out = 0
    for ts in series:
        dps = client.time_series.data.retrieve(
            id=ts.id, start=cfg["lookback"], end="now", aggregates=cfg["aggregates"], granularity=cfg["granularity"]
        )
        target = f"{cfg['target_prefix']}{ts.external_id}"
        client.time_series.upsert(TimeSeriesWrite(external_id=target, name=target, data_set_id=ds.id, asset_id=ts.asset_id))
        if dps.max:
            client.time_series.data.insert(list(zip(dps.timestamp, dps.max)), external_id=target)
            out += len(dps.max)
    return {"series": len(series), "datapoints": out}
