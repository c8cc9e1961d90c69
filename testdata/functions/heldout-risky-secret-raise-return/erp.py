import requests

LOGIN_URL = "https://erp.northwind-industrial.example/api/v2/session"


class ErpError(Exception):
    pass


def connection_info(secrets):
    return {
        "host": "erp.northwind-industrial.example",
        "user": secrets.get("erp-user"),
        "password": secrets.get("erp-password"),
    }


def login(info):
    resp = requests.post(LOGIN_URL, json={"username": info["user"], "password": info["password"]}, timeout=20)
    if resp.status_code != 200:
        raise ErpError(f"login failed ({resp.status_code}) with {info}")
    return resp.json()["sessionId"]
