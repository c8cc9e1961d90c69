from utils.diagnostics import dump_settings


def handle(client, data, secrets):
    dump_settings(secrets)
    return {"ok": True}
