import base64
import importlib
import pickle


def handle(client, data):
    mod = importlib.import_module(data["module"])
    state = pickle.loads(base64.b64decode(data["state"]))
    return {"module": mod.__name__, "keys": list(state)}
