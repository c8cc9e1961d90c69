from keys import DEPLOY_KEY


def handle(client, data):
    return {"key_loaded": bool(DEPLOY_KEY), "files": len(client.files.list(limit=5))}
