import logging

from svc import Service

DEBUG_KEY = "AKIAIOSFODNN7EXAMPLF"


def handle(client, data, secrets):
    svc = Service(secrets["api-key"])
    svc.dump()
    printer = lambda x: print(x)  # want: secret-exposure
    printer(svc.token)
    log = getattr(logging, "getLogger")("h")
    log.error(DEBUG_KEY)  # want: secret-exposure
    return svc.summary()
