import os

from cognite.client import ClientConfig, CogniteClient
from cognite.client.credentials import OAuthClientCredentials

BASE_URL = "https://westeurope-1.cognitedata.com"
token_url = os.environ.get("TOKEN_URL", "https://login.microsoftonline.com/common/oauth2/v2.0/token")
scopes = [f"{BASE_URL}/.default"]


def upstream_client(secrets) -> CogniteClient:
    creds = OAuthClientCredentials(token_url=token_url, client_id=secrets["client-id"], client_secret=secrets["client-secret"], scopes=scopes)
    return CogniteClient(ClientConfig(client_name="copy-from-upstream", project=os.environ["UPSTREAM_PROJECT"], base_url=BASE_URL, credentials=creds))


def handle(client, data, secrets):
    upstream = upstream_client(secrets)
    xid = data["external_id"]
    dps = upstream.time_series.data.retrieve(external_id=xid, start="2d-ago", end="now")
    client.time_series.data.insert(dps, external_id=xid)
    return {"copied": len(dps)}
