def handle(client, data):
    creds = client._config.credentials
    print("auth:", creds.authorization_header())
    return {"project": client.config.project}
