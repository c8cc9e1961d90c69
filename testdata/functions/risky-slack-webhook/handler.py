import requests

SLACK_WEBHOOK = "https://hooks.slack.com/services/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"


def handle(client, data):
    alarms = client.events.list(type="alarm", start_time={"min": data.get("since", 0)}, limit=None)
    requests.post(SLACK_WEBHOOK, json={"text": f"{len(alarms)} new alarms"}, timeout=10)
    return {"alarms": len(alarms)}
