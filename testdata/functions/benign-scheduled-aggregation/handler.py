import logging

log = logging.getLogger("daily-averages")

SERIES = ["compressor-1:temp", "compressor-2:temp", "compressor-3:temp"]


def handle(client, data, function_call_info):
    log.info("call %s scheduled at %s", function_call_info.get("call_id"), function_call_info.get("scheduled_time"))
    written = 0
    for xid in SERIES:
        agg = client.time_series.data.retrieve(external_id=xid, start="1d-ago", end="now", aggregates=["average"], granularity="1h")
        points = list(zip(agg.timestamp, agg.average))
        client.time_series.data.insert(points, external_id=f"{xid}:hourly")
        written += len(points)
    log.info("wrote %d datapoints for %d series", written, len(SERIES))
    return {"written": written}
