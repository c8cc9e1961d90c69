# Helpers that put a secret into a container with a mutating method (or an
# item assignment) and hand the container back: the caller's print or
# return of it shows the secret.


def appended(secrets, names):
    out = []
    for n in names:
        out.append(secrets[n])
    return out


def extended(secrets):
    out = ["header"]
    out.extend([secrets["api-key"], secrets["password"]])
    return out


def item_assigned(secrets):
    d = {}
    d["key"] = secrets["api-key"]
    return d


def updated(secrets):
    d = {"source": "vault"}
    d.update(token=secrets["api-key"])
    return d


def updated_from(extra):
    d = {}
    d.update(extra)
    return d


def added(value):
    s = set()
    s.add(value)
    return s


def inserted(value):
    q = ["first"]
    q.insert(0, value)
    return tuple(q)


def defaulted(secrets):
    d = {}
    d.setdefault("key", secrets["api-key"])
    return d


def nested(secrets):
    return appended(secrets, ["api-key"])


# Negative cases: what they put in the container is not a secret's value.


def names_only(secrets):
    out = []
    for n in secrets:
        out.append(n)
    for n in secrets.keys():
        out.append(n)
    return out


def constants(secrets):
    out = []
    if "api-key" in secrets:
        out.append("configured")
    d = {}
    d["status"] = "ok"
    d.update(mode="read")
    return out, d


def lengths(secrets):
    out = []
    out.append(len(secrets["api-key"]))
    d = {}
    d["n"] = len(secrets["password"])
    return out, d


def handle(data, secrets):
    print(appended(secrets, ["api-key"]))  # want: secret-exposure:high
    print(extended(secrets))  # want: secret-exposure:high
    print(item_assigned(secrets))  # want: secret-exposure:high
    print(updated(secrets))  # want: secret-exposure:high
    print(updated_from({"k": secrets["password"]}))  # want: secret-exposure:high
    print(added(secrets["api-key"]))  # want: secret-exposure:high
    print(inserted(secrets["api-key"]))  # want: secret-exposure:high
    print(defaulted(secrets))  # want: secret-exposure:high
    print(nested(secrets))  # want: secret-exposure:high
    print(names_only(secrets))
    print(constants(secrets))
    print(lengths(secrets))
    print(updated_from({"k": "v"}), added("x"), inserted(1))
    return {"n": len(names_only(secrets))}
