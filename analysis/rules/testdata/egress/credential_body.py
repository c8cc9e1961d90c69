import requests

LOGIN_URL = "https://erp.vendor.example/api/v2/session"


def handle(client, data, secrets):
    user, password = secrets["erp-user"], secrets["erp-password"]
    # A login to the service's own fixed host: the secret authenticates.
    requests.post(LOGIN_URL, json={"username": user, "password": password}, timeout=20)  # want: network-egress:medium egress=erp.vendor.example
    requests.post("https://auth.vendor.example/oauth/token", data=dict(grant_type="client_credentials", client_id=user, client_secret=password))  # want: network-egress:medium egress=auth.vendor.example
    requests.post("https://api.vendor.example/v1/login", json={"api_key": secrets["vendor-key"], "client": "preflight"})  # want: network-egress:medium egress=api.vendor.example
    # A secret under a key that is no credential: sent as data.
    requests.post("https://erp.vendor.example/api/v2/notes", json={"note": password}, timeout=20)  # want: secret-exposure:high network-egress:medium egress=erp.vendor.example
    requests.post(LOGIN_URL, json={"username": user, "password": password, "comment": secrets["other"]})  # want: secret-exposure:high network-egress:medium egress=erp.vendor.example
    requests.post(LOGIN_URL, data=password)  # want: secret-exposure:high network-egress:medium egress=erp.vendor.example
    # A computed host or one from the call input.
    requests.post(f"https://{data['tenant']}.vendor.example/login", json={"password": password})  # want: secret-exposure:high network-egress:high egress=?
    requests.post(data["url"], json={"password": password})  # want: secret-exposure:high network-egress:high egress=?
    # The caller's token or CDF data beside the password.
    token = client.config.credentials.authorization_header()
    requests.post(LOGIN_URL, json={"password": password, "token": token})  # want: data-exfiltration:critical secret-exposure:high network-egress:medium egress=erp.vendor.example
    rows = client.assets.list(limit=5)
    requests.post(LOGIN_URL, json={"password": password, "username": rows})  # want: data-exfiltration:high secret-exposure:high network-egress:medium egress=erp.vendor.example
    return {"ok": True}
