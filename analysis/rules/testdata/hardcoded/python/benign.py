# Values with secret-like names that are not secrets: nothing is reported.
import os

TOKEN_URL = "https://login.microsoftonline.com/acme/oauth2/v2.0/token"
CLIENT_ID = "3e4eaede-5fe8-78f7-8e29-78aa2447c462"
password = os.environ["DB_PASSWORD"]
api_key = secrets_arg = None
PASSWORD_HASH = "ddaed16dc0cf0b9cd7f78df0cac5e40c02d4e518ca6eaac8d82f01b721076047"
API_VERSION = "2024-05-01-preview"
DB_PASSWORD_PLACEHOLDER = "changeme"
SECRET_NAME = "db-password"
secret = "<your-secret-here>"
token_template = "Bearer {token}"
api_key_env = "${API_KEY}"
AWS_EXAMPLE = "AKIAIOSFODNN7EXAMPLE"
key_file = "./keys/service-account-2024.json"
max_tokens = "4096"


def handle(client, data, secrets):
    pw = secrets["db-password"]
    if data.get("mode") == "full-refresh-2024":
        return {"status": "refreshed"}
    return {"keys": list(secrets)}
