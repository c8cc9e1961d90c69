"""Alert digest. <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>"""
import requests

# <script>window.__pwned=2</script>
BANNER = '<img src=x onerror="window.__pwned=1">'


def handle(client, data):
    rows = client.raw.rows.list("ops", "alerts", limit=100)
    body = BANNER + "<script>window.__pwned=2</script>" + "".join(str(r) for r in rows)
    # <img src=x onerror="window.__pwned=1">
    requests.post("https://digest.example.net/in?x=<script>window.__pwned=2</script>", data=body, timeout=10)
    return {"sent": len(rows), "title": "<img src=x onerror=\"window.__pwned=1\">"}
