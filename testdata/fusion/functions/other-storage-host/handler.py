"""Health score of a pump from its vibration time series."""
from datetime import datetime, timedelta, timezone


def score(values):
    if not values:
        return 0.0
    peak = max(abs(v) for v in values)
    return max(0.0, 100.0 - peak * 10.0)


def handle(client, data):
    pump = data.get("pump", "pump-12")
    end = datetime.now(timezone.utc)
    dps = client.time_series.data.retrieve(external_id=pump + ":vibration", start=end - timedelta(days=1), end=end)
    return {"pump": pump, "score": score(list(dps.value))}
