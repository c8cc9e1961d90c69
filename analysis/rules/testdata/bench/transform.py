"""Pure computations: aggregation and anomaly detection."""
import math
import statistics
from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple


@dataclass
class KpiConfig:
    aggregate: str = "average"
    granularity: str = "1h"
    threshold: float = 3.0
    extra: Dict[str, str] = field(default_factory=dict)

    def window_seconds(self):
        unit = self.granularity[-1]
        n = int(self.granularity[:-1] or 1)
        return n * {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit, 3600)


def _clean(points: Sequence[Tuple[int, float]]) -> List[Tuple[int, float]]:
    out = []
    for ts, v in points:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        out.append((ts, float(v)))
    return out


def aggregate(points, cfg: KpiConfig):
    clean = _clean(points)
    values = [v for _, v in clean]
    if not values:
        return {"mean": None, "series": [], "unit": None}
    mean = statistics.fmean(values)
    stdev = statistics.pstdev(values) if len(values) > 1 else 0.0
    series = [(ts, (v - mean) / stdev if stdev else 0.0) for ts, v in clean]
    return {
        "mean": mean,
        "stdev": stdev,
        "min": min(values),
        "max": max(values),
        "series": series,
        "unit": cfg.extra.get("unit"),
    }


def detect_anomalies(points, threshold):
    clean = _clean(points)
    if len(clean) < 3:
        return []
    values = [v for _, v in clean]
    med = statistics.median(values)
    mad = statistics.median([abs(v - med) for v in values]) or 1e-9
    out = []
    for ts, v in clean:
        score = 0.6745 * (v - med) / mad
        if abs(score) > threshold:
            out.append({"timestamp": ts, "value": v, "score": round(score, 2)})
    return out


def rolling_mean(values, window):
    if window <= 0:
        raise ValueError("window must be positive")
    acc = []
    total = 0.0
    for i, v in enumerate(values):
        total += v
        if i >= window:
            total -= values[i - window]
        acc.append(total / min(i + 1, window))
    return acc


class Histogram:
    def __init__(self, bins=10):
        self.bins = bins
        self.counts = [0] * bins

    def add(self, value, lo, hi):
        if hi <= lo:
            return
        idx = int((value - lo) / (hi - lo) * self.bins)
        self.counts[min(max(idx, 0), self.bins - 1)] += 1

    def as_dict(self):
        return {"bins": self.bins, "counts": list(self.counts)}
