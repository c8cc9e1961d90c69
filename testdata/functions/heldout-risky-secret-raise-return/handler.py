from erp import ErpError, connection_info, login


def handle(client, data, secrets):
    info = connection_info(secrets)
    try:
        session = login(info)
    except ErpError:
        return {"ok": False, "debug": info}
    n = len(client.assets.list(limit=10))
    return {"ok": True, "session": session[:6], "assets": n}
