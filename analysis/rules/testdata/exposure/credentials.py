import logging

logger = logging.getLogger("fn")


def handle(client, data):
    header = client.config.credentials.authorization_header()
    logger.info("auth: %s", header)  # want: secret-exposure:critical
    creds = client.config.credentials
    print(creds.client_secret)  # want: secret-exposure:critical
    cfg = client._config
    return {"token": cfg.token}  # want: PF-EXPOSE-002:critical
