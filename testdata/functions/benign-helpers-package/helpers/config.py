DEFAULTS = {"root": "plant-a", "rows": []}


def load_config(data: dict) -> dict:
    cfg = dict(DEFAULTS)
    cfg.update({k: v for k, v in data.items() if k in DEFAULTS})
    return cfg
