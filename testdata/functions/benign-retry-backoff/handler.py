import json
import random
import time


def with_retry(fn, attempts=4):
    for i in range(attempts):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001
            if i == attempts - 1:
                raise
            time.sleep((2 ** i) + random.random())


def handle(client, data, function_call_info):
    payload = json.loads(data["payload"]) if isinstance(data.get("payload"), str) else data.get("payload", {})
    xid = payload.get("external_id", "default-series")
    points = payload.get("points", [])
    with_retry(lambda: client.time_series.data.insert(points, external_id=xid))
    return {"call": function_call_info.get("call_id"), "points": len(points)}
