# A helper fills a container its caller passes in; the caller then shows
# the container.


def collect(buf, secrets):
    buf.append(secrets["api-key"])


def fill(d, value):
    d["key"] = value


def merge(d, extra):
    d.update(extra)


def collect_via(buf, secrets):
    collect(buf, secrets)


class Sink:
    def keep(self, buf, value, *, into=None):
        buf.add(value)
        if into is not None:
            into.setdefault("k", value)


# Negative cases: the caller's container gets no secret value.


def count(buf, secrets):
    buf.append(len(secrets["api-key"]))


def copied(d, secrets):
    d = dict(d)
    d["key"] = secrets["api-key"]
    return len(d)


def named(buf, secrets):
    buf.extend(secrets)


def handle(data, secrets):
    local = []
    local.append(secrets["password"])
    print(local)  # want: secret-exposure:high
    buf = []
    collect(buf, secrets)
    print(buf)  # want: secret-exposure:high
    d = {}
    fill(d, secrets["api-key"])
    print(d)  # want: secret-exposure:high
    kw = {}
    fill(value=secrets["api-key"], d=kw)
    print(kw)  # want: secret-exposure:high
    m = {}
    merge(m, {"k": secrets["password"]})
    print(m)  # want: secret-exposure:high
    deep = []
    collect_via(deep, secrets)
    print(deep)  # want: secret-exposure:high
    s, into = set(), {}
    Sink().keep(s, secrets["api-key"], into=into)
    print(s)  # want: secret-exposure:high
    print(into)  # want: secret-exposure:high
    n, c, names = [], {}, []
    count(n, secrets)
    copied(c, secrets)
    named(names, secrets)
    fill({}, secrets["api-key"])
    print(n, c, names)
    return {"ok": True}
