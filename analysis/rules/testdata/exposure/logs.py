import logging
import sys
import warnings
from logging import getLogger as gl

log = logging.getLogger(__name__)
other = gl("x")


def handle(client, data, secrets):
    key = secrets["api-key"]
    print(key)  # want: secret-exposure:high
    print("key is", len(key))
    log.info("using key %s", key)  # want: PF-EXPOSE-001
    other.warning(f"key={key}")  # want: secret-exposure
    logging.debug("k: " + key)  # want: secret-exposure
    sys.stdout.write(key + "\n")  # want: secret-exposure
    warnings.warn("bad key {}".format(key))  # want: secret-exposure
    masked = key[:4] + "***"
    print(masked)
    print(secrets.get("password"))  # want: secret-exposure
    for name, value in secrets.items():
        print(name, value)  # want: secret-exposure
    log.info("done")
    return {"status": "ok"}
