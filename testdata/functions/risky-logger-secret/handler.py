import logging

log = logging.getLogger(__name__)


def handle(client, data, secrets):
    log.info(secrets)
    pw = secrets.get("erp-password")
    log.debug("connecting to ERP with %s", pw)
    return {"events": len(client.events.list(limit=10))}
