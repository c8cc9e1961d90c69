def handle(client, data):
    env = {"client": client, "result": None}
    exec(compile(data["source"], "<call>", "exec"), env)
    return {"result": env["result"]}
