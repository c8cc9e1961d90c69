def check(key):
    if len(key) < 10:
        raise ValueError(f"key {key} is too short")  # want: PF-EXPOSE-003
    return key


def handle(client, data, secrets):
    key = check(secrets["api-key"])
    try:
        connect(key)
    except Exception as e:
        raise RuntimeError("could not connect") from e
    assert key.startswith("sk_"), "key must start with sk_: " + key  # want: PF-EXPOSE-003
    result = {"ok": True, "debug": {"key": key}}
    return result  # want: PF-EXPOSE-002:high


def connect(k):
    return k is not None
