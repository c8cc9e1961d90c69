# Secrets written into a handler, in every syntactic position the family
# understands. All values are random and fake.
import os

import requests
from cognite.client import ClientConfig, CogniteClient
from cognite.client.credentials import OAuthClientCredentials
from mixpanel import Mixpanel

CLIENT_SECRET = "Ohb8Q~JFCrnl2edlBD.dz1C5Jau2RJtBRnlWmTSH"  # want: hardcoded-secret:critical
GITHUB = "ghp_ZcUDIh7yfJs1ON43xKmTecQoXsf2o3gyrDO1"  # want: hardcoded-secret:high
aws_key_id, aws_secret_access_key = "AKIAXKXWNREKPK5YROUD", "DeOZIiBOB+Y6sHrFH2ZUCr+lgotu2iXW7GboIRoL"  # want: hardcoded-secret:critical

CONFIG = {
    "db_password": "BkDa9U4UqGWlG6g3Ot1O",  # want: hardcoded-secret:high
    "db_host": "db.acme.internal",
    "webhook": "https://hooks.slack.com/services/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",  # want: hardcoded-secret:high
}

DSN = "postgresql://etl:ggQBwBAD3UdRPPgd@db.acme.internal:5432/prod"  # want: hardcoded-secret:high

PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
yLBhhOhg9uhkxiiEZpFfk1OHAOEHYqM6Ojb6mjBHqSiFVKu4MbMnrHontIKARAH+
Ggl2JfaQqHu42bojteVs3qfNUfTAFnT0tEuw0dwQ0FIunWe8Cz6SNDCdyZQJiJSZ
-----END PRIVATE KEY-----"""  # want@-3: hardcoded-secret:critical

mp = Mixpanel("69cbee3772a077021721a278f64f7fd6")  # want: hardcoded-secret:medium


def connect(api_key="tsnBYLMPuDCCRnGEY59YVkQfsGQONvf0"):  # want: hardcoded-secret:high
    creds = OAuthClientCredentials(
        token_url="https://login.microsoftonline.com/acme/oauth2/v2.0/token",
        client_id="3e4eaede-5fe8-78f7-8e29-78aa2447c462",
        client_secret="pjPSa5W3X4gXBolZ9SHDdJp6",  # want: hardcoded-secret:critical
        scopes=["https://api.cognitedata.com/.default"],
    )
    return CogniteClient(ClientConfig(client_name="x", project="acme", credentials=creds))


def handle(client, data, secrets):
    token = os.getenv("HF_TOKEN", "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")  # want: hardcoded-secret:high
    if data.get("password") == "8WpRtoZmjbcpEN2XeDA4OKmTSyFz":  # want: hardcoded-secret:high
        pass
    headers = {"Authorization": "Bearer QdoHwHen3SO3oXyGf3azU3iQOpMN0PZLqy1WwMZa"}  # want: hardcoded-secret:high
    requests.post("https://api.stripe.com/v1/charges", auth=("sk_live_zUvZ3gpmmICiBlrDp37eCZ32", ""))  # want: hardcoded-secret:high
    return {"ok": True}
