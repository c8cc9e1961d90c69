def configured(secrets):
    present = sorted(secrets)
    for name in secrets.keys():
        present.append(name)
    return present


def key_names(mapping):
    return list(mapping.keys())


def values(secrets):
    return [secrets[name] for name in sorted(secrets)]


def first(items):
    for item in items:
        return item


def handle(data, secrets):
    if data.get("names"):
        return {"secrets": configured(secrets), "keys": key_names(secrets)}
    if data.get("first"):
        return {"key": first([secrets["api-key"]])}  # want: PF-EXPOSE-002:high
    return {"values": values(secrets)}  # want: PF-EXPOSE-002:high
