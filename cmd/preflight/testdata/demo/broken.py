def handle(client, data):
    total = sum(data["values"]
    return {"total": total}
