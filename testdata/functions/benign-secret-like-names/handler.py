"""Imports web-form submissions into RAW. Field names, not credentials."""

token_url = "https://login.microsoftonline.com/common/oauth2/v2.0/token"
password_field = "password"
secret_name = "api-key"
API_KEY = "<your-api-key>"
DEFAULT_PASSWORD = "changeme"
client_secret = "${CLIENT_SECRET}"
auth_token = "xxxxxxxxxxxxxxxxxxxxxxxx"
session_id = "3f2b8c1e-4d5a-4e6f-9a7b-0c1d2e3f4a5b"
build_sha = "9c1185a5c5e9fc54612808977ee8f548b2258d31"
token_type = "Bearer"
FORM_FIELDS = {"username": "text", password_field: "password", "api_key": "text"}


def handle(client, data):
    rows = {}
    for i, sub in enumerate(data.get("submissions", [])):
        rows[f"sub-{i}"] = {k: sub.get(k) for k in FORM_FIELDS if k != password_field}
    client.raw.rows.insert("forms", "submissions", rows, ensure_parent=True)
    return {"stored": len(rows), "token_type": token_type}
