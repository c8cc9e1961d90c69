import logging
import sys

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("diag")

REQUIRED = ("sap-user", "sap-password", "sap-host")


def check_secrets(secrets):
    present = sorted(secrets)
    missing = [name for name in REQUIRED if name not in secrets]
    log.info("function has %d secrets: %s", len(secrets), ", ".join(present))
    for name in secrets.keys():
        log.debug("secret configured: %s", name)
    if missing:
        log.warning("missing secrets: %s", missing)
    return present, missing


def handle(data, secrets, function_call_info):
    print(f"call {function_call_info.get('call_id')}: {len(secrets)} secrets available")
    present, missing = check_secrets(secrets)
    return {"secrets": present, "missing": missing, "ok": not missing}
