import numpy as np


def handle(client, data):
    dps = client.time_series.data.retrieve_arrays(external_id=data["external_id"], start="30d-ago", end="now")
    slope, intercept = np.polyfit(dps.timestamp.astype("int64"), dps.value, 1)
    return {"slope": float(slope), "intercept": float(intercept)}
