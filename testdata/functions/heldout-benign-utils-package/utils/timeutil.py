MS_PER_MINUTE = 60_000


def minutes(ms):
    return ms / MS_PER_MINUTE


def window(days):
    return {"min": f"{int(days)}d-ago", "max": "now"}
