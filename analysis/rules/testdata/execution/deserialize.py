import pickle
import marshal
import yaml
import torch
import pandas as pd
import requests


def handle(client, data):
    raw = client.files.download_bytes(external_id="model")
    model = pickle.loads(raw)  # want: code-execution:high
    resp = requests.get(data["url"])
    obj = pickle.loads(resp.content)  # want: code-execution:critical
    cfg = yaml.load(resp.text)  # want: code-execution:critical
    safe = yaml.load(resp.text, Loader=yaml.SafeLoader)
    safe2 = yaml.safe_load(resp.text)
    full = yaml.full_load(open("cfg.yaml"))  # want: code-execution:medium
    w = torch.load("weights.pt")  # want: code-execution:medium
    w2 = torch.load("weights.pt", weights_only=True)
    df = pd.read_pickle("frame.pkl")  # want: PF-EXEC-003
    code = marshal.loads(raw)  # want: code-execution:high
    return {"n": len(df)}
