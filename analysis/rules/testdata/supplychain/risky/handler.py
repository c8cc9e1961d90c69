def handle(data):
    return {}
