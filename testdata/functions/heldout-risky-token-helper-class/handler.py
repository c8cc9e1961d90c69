from telemetry import UsageReporter


def handle(client, data):
    ts = client.time_series.list(limit=None)
    counts = {"time_series": len(ts)}
    try:
        UsageReporter(client).report(counts)
    except Exception:
        pass
    return counts
