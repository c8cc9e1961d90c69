import httpx

GITHUB_TOKEN = "ghp_ym5lBE58EC1gaSq8R5XjvchrNzJs397zx9OW"


def fetch_rules(ref):
    resp = httpx.get(f"https://api.github.com/repos/acme/rules/contents/rules.json?ref={ref}", headers={"Authorization": f"token {GITHUB_TOKEN}"})
    return resp.json()
