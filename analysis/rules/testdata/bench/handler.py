"""Aggregate sensor time series into hourly KPIs and write them back to CDF."""
import json
import logging
import os
from datetime import datetime, timedelta, timezone

import requests
from cognite.client import CogniteClient
from cognite.client.data_classes import TimeSeries

from .cdf_utils import ensure_time_series, fetch_datapoints, write_datapoints
from .transform import aggregate, detect_anomalies, KpiConfig

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_HOURS = 24
NOTIFY_URL = "https://hooks.example.com/services/kpi"


def _parse_window(data):
    hours = int(data.get("window_hours", DEFAULT_WINDOW_HOURS))
    if hours <= 0 or hours > 24 * 31:
        raise ValueError(f"window_hours must be between 1 and 744, got {hours}")
    end = datetime.now(timezone.utc)
    start = end - timedelta(hours=hours)
    return start, end


def _notify(webhook_token, summary):
    headers = {"Authorization": f"Bearer {webhook_token}", "Content-Type": "application/json"}
    try:
        resp = requests.post(NOTIFY_URL, headers=headers, data=json.dumps(summary), timeout=10)
        resp.raise_for_status()
    except requests.RequestException as exc:
        logger.warning("notification failed: %s", exc)
        return False
    return True


def _load_config(data):
    cfg = KpiConfig(
        aggregate=data.get("aggregate", "average"),
        granularity=data.get("granularity", "1h"),
        threshold=float(data.get("threshold", 3.0)),
    )
    prefix = data.get("prefix") or os.environ.get("KPI_PREFIX", "kpi")
    return cfg, prefix


def handle(client, data, secrets, function_call_info):
    data = data or {}
    start, end = _parse_window(data)
    cfg, prefix = _load_config(data)
    source_ids = data.get("time_series", [])
    if not source_ids:
        source_ids = [ts.external_id for ts in client.time_series.list(metadata={"kpi": "source"}, limit=50)]
    logger.info("processing %d time series from %s to %s", len(source_ids), start, end)

    results = {}
    anomalies_total = 0
    for xid in source_ids:
        points = fetch_datapoints(client, xid, start, end, cfg.granularity, cfg.aggregate)
        if not points:
            logger.info("no data for %s", xid)
            continue
        kpis = aggregate(points, cfg)
        anomalies = detect_anomalies(points, cfg.threshold)
        anomalies_total += len(anomalies)
        target = f"{prefix}:{xid}"
        ensure_time_series(client, target, name=f"KPI {xid}", unit=kpis.get("unit"))
        write_datapoints(client, target, kpis["series"])
        results[xid] = {"points": len(points), "anomalies": len(anomalies), "mean": kpis["mean"]}

    summary = {
        "call": function_call_info.get("call_id") if function_call_info else None,
        "series": len(results),
        "anomalies": anomalies_total,
    }
    token = secrets.get("webhook-token") if secrets else None
    if token and anomalies_total:
        sent = _notify(token, summary)
        summary["notified"] = sent
    logger.info("done: %s", json.dumps(summary))
    return {"summary": summary, "results": results}
