def handle(client, data):
    return {}
