from access import AccessAdmin


def handle(client, data):
    admin = AccessAdmin(client)
    return {"deleted": admin.drop(data.get("names", []))}
