import logging

_log = logging.getLogger("util")


def audit(event, detail):
    _log.info("%s %s", event, detail)  # want: secret-exposure


def fmt_key(k):
    return "key=%s" % k


class Reporter:
    def __init__(self):
        self.out = _log

    def say(self, msg):
        self.out.warning(msg)  # want: secret-exposure

    def unused(self):
        self.out.info("nothing secret")
