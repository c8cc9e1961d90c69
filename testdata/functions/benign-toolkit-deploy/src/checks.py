GAP_MS = 15 * 60 * 1000


def check_gaps(client, external_ids):
    gaps = {}
    for xid in external_ids:
        dps = client.time_series.data.retrieve(external_id=xid, start="1d-ago", end="now")
        ts = list(dps.timestamp)
        gaps[xid] = sum(1 for a, b in zip(ts, ts[1:]) if b - a > GAP_MS)
    return gaps
