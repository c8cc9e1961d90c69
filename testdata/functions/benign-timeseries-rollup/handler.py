"""Rolling mean of a sensor time series."""
from datetime import datetime, timedelta, timezone

from cognite.client import CogniteClient
from cognite.client.data_classes import TimeSeries

WINDOW = 12


def rolling_mean(values, window=WINDOW):
    out = []
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1): i + 1]
        out.append(sum(chunk) / len(chunk))
    return out


def handle(client: CogniteClient, data: dict) -> dict:
    source = data.get("source", "pump-12:pressure")
    target = data.get("target", "pump-12:pressure:rolling")
    end = datetime.now(timezone.utc)
    start = end - timedelta(days=1)
    dps = client.time_series.data.retrieve(external_id=source, start=start, end=end)
    smoothed = rolling_mean(list(dps.value))
    if not client.time_series.retrieve(external_id=target):
        client.time_series.create(TimeSeries(external_id=target, name=target, unit="bar"))
    client.time_series.data.insert(list(zip(dps.timestamp, smoothed)), external_id=target)
    return {"points": len(smoothed)}
