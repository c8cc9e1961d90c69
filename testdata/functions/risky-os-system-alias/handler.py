from os import system as s


def handle(client, data):
    host = data["host"]
    code = s(f"ping -c 1 {host}")
    return {"exit": code}
