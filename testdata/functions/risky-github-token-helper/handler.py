from gh import fetch_rules


def handle(client, data):
    rules = fetch_rules(data.get("ref", "main"))
    return {"rules": len(rules)}
