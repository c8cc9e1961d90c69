import json
import urllib.request
from datetime import datetime, timezone


def build_card(title, facts):
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": title,
        "themeColor": "D70000" if facts.get("failed") else "2DC72D",
        "sections": [{"activityTitle": title, "facts": [{"name": k, "value": str(v)} for k, v in facts.items()]}],
    }


def post_card(url, card):
    req = urllib.request.Request(
        url,
        data=json.dumps(card).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status


def handle(client, data, secrets):
    since = data.get("since", "24h-ago")
    calls = client.extraction_pipelines.runs.list(external_id=data["pipeline"], created_time=since, limit=None)
    failed = sum(1 for r in calls if r.status == "failure")
    facts = {
        "pipeline": data["pipeline"],
        "runs": len(calls),
        "failed": failed,
        "checked": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    if failed or data.get("always"):
        status = post_card(secrets["teams-webhook"], build_card("Extraction pipeline report", facts))
        return {"posted": status, **facts}
    return {"posted": None, **facts}
