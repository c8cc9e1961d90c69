import yaml


def handle(client, data):
    cfg = yaml.load(data["config"], Loader=yaml.Loader)
    return {"keys": list(cfg)}
