def handle(client, data):
    header = client.config.credentials.authorization_header()  # want: credential-access:high
    creds = client._config.credentials  # want: credential-access:high
    name = client.config.project
    return {"project": name, "ok": bool(header and creds), "h": helper(client)}


def helper(cdf):
    creds = cdf._config.credentials  # want: credential-access:high
    return creds.authorization_header()
