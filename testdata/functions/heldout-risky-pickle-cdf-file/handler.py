import io
import os
import pickle
import tempfile

import numpy as np

MODEL_XID = "anomaly-model-latest"


def load_model(client, xid):
    blob = client.files.download_bytes(external_id=xid)
    return pickle.loads(blob)


def load_scaler(client, xid):
    path = os.path.join(tempfile.mkdtemp(), "scaler.pkl")
    client.files.download_to_path(path, external_id=xid)
    with open(path, "rb") as fh:
        return pickle.load(fh)


def handle(client, data):
    model = load_model(client, data.get("model", MODEL_XID))
    scaler = load_scaler(client, data.get("scaler", "anomaly-scaler-latest"))
    df = client.time_series.data.retrieve_dataframe(external_id=data["series"], start="1d-ago", end="now")
    x = scaler.transform(np.nan_to_num(df.to_numpy()))
    scores = model.decision_function(x)
    return {"anomalies": int((scores < 0).sum())}
