from cognite.client import ClientConfig, CogniteClient
from cognite.client.credentials import OAuthClientCredentials

TENANT = "09bf544a-88af-4d12-a735-7bd96148c068"
CLUSTER = "westeurope-1"


def service_client(project):
    creds = OAuthClientCredentials(
        token_url=f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token",
        client_id="68fabdf7-1274-40b3-a60e-588ec6310f38",
        client_secret="1Hd8Q~wPHq1isZBRVr.Y2MIAN0-9_hfu1aeR~BBz",
        scopes=[f"https://{CLUSTER}.cognitedata.com/.default"],
    )
    cfg = ClientConfig(
        client_name="fn-backfill",
        project=project,
        base_url=f"https://{CLUSTER}.cognitedata.com",
        credentials=creds,
    )
    return CogniteClient(cfg)
