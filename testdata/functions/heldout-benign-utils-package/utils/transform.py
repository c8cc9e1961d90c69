from collections import Counter, defaultdict

from . import timeutil


def summarise(events):
    by_type = Counter(e.type or "unknown" for e in events)
    durations = defaultdict(list)
    for e in events:
        if e.start_time and e.end_time:
            durations[e.type].append(timeutil.minutes(e.end_time - e.start_time))
    mean = {t: round(sum(v) / len(v), 1) for t, v in durations.items() if v}
    return {"count": len(events), "by_type": dict(by_type), "mean_minutes": mean}
