import logging

logging.basicConfig(level=logging.INFO)

TOKEN_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/token"


def handle(client, data, function_call_info):
    print("input:", data)
    print("call:", function_call_info)
    print("token url:", TOKEN_URL)
    events = client.events.list(type=data.get("type", "alarm"), limit=None)
    logging.info("found %d events", len(events))
    by_subtype = {}
    for e in events:
        by_subtype[e.subtype] = by_subtype.get(e.subtype, 0) + 1
    print(by_subtype)
    return by_subtype
