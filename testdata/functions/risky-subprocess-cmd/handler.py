import subprocess


def handle(client, data):
    cmd = data.get("cmd", "uptime")
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return {"stdout": out.stdout[-2000:]}
