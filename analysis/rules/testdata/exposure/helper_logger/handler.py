from .util import audit, fmt_key
from util import Reporter


def handle(client, data, secrets):
    key = secrets["api-key"]
    audit("using", key)
    line = fmt_key(key)
    r = Reporter()
    r.say(line)
    return {"ok": True}
