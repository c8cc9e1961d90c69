from cognite.client import ClientConfig, CogniteClient
from cognite.client.credentials import OAuthClientCredentials

TENANT = "acme.onmicrosoft.com"
CLIENT_ID = "6a1e3f0c-2b4d-4c8e-9f10-1a2b3c4d5e6f"
CLIENT_SECRET = "KWE8Q~dVVIfzEA-BqrRSkqLeGUh7WopjGgUE5hKv"


def handle(client, data):
    creds = OAuthClientCredentials(token_url=f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token", client_id=CLIENT_ID, client_secret=CLIENT_SECRET, scopes=["https://api.cognitedata.com/.default"])
    admin = CogniteClient(ClientConfig(client_name="admin-sync", project="acme-prod", base_url="https://api.cognitedata.com", credentials=creds))
    return {"assets": len(admin.assets.list(limit=10))}
