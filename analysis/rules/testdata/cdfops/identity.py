import os

from cognite.client import ClientConfig, CogniteClient
from cognite.client.credentials import OAuthClientCredentials, Token


def upstream(secrets):
    creds = OAuthClientCredentials(token_url=os.environ["TOKEN_URL"], client_id=secrets["client-id"], client_secret=secrets["client-secret"], scopes=["https://api.cognitedata.com/.default"])  # want: credential-access:medium
    return CogniteClient(ClientConfig(client_name="copy", project="other", base_url="https://api.cognitedata.com", credentials=creds))


def handle(client, data, secrets):
    other = upstream(secrets)
    other.time_series.list(limit=5)  # want: needs=timeSeriesAcl:READ
    other.assets.delete(id=1)  # want: destructive-operation:high
    borrowed = CogniteClient(ClientConfig(client_name="x", project="p", base_url="https://api.cognitedata.com", credentials=Token(data["token"])))  # want: credential-access:high
    admin = CogniteClient.default_oauth_client_credentials("p", "westeurope-1", "tenant", "client-id", "Zu78Q~pLm3kTq9VbXw2yRr5NnHc7JdFg0aSeUo1Q")  # want: credential-access:high
    return {"n": len(admin.assets.list(limit=1)) + len(borrowed.events.list(limit=1))}  # want: needs=assetsAcl:READ needs=eventsAcl:READ
