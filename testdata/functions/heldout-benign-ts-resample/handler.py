"""Resample raw sensor time series to 15-minute means and write them back.

Input: {"external_ids": ["pump-01:flow", ...], "start": "7d-ago", "granularity": "15min"}
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

SUFFIX = ":resampled"


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    # Drop obvious sensor glitches (negative flow, frozen values) before averaging.
    df = df.mask(df < 0)
    frozen = df.diff().abs().rolling(12, min_periods=12).sum() == 0
    return df.mask(frozen)


def _resample(df: pd.DataFrame, granularity: str) -> pd.DataFrame:
    out = df.resample(granularity, label="left", closed="left").mean()
    out = out.interpolate(limit=2, limit_direction="forward")
    return out.dropna(how="all")


def handle(client, data):
    xids = list(data.get("external_ids") or [])
    if not xids:
        return {"written": 0, "reason": "no external_ids"}
    granularity = data.get("granularity", "15min")
    start = data.get("start", "7d-ago")

    raw = client.time_series.data.retrieve_dataframe(
        external_id=xids, start=start, end="now", include_aggregate_name=False
    )
    log.info("retrieved %d rows x %d series", raw.shape[0], raw.shape[1])
    if raw.empty:
        return {"written": 0}

    resampled = _resample(_clean(raw), granularity)
    resampled.columns = [f"{c}{SUFFIX}" for c in resampled.columns]

    existing = client.time_series.retrieve_multiple(
        external_ids=list(resampled.columns), ignore_unknown_ids=True
    )
    missing = set(resampled.columns) - {ts.external_id for ts in existing}
    if missing:
        log.warning("skipping %d series without a target time series", len(missing))
        resampled = resampled.drop(columns=sorted(missing))

    resampled = resampled.replace([np.inf, -np.inf], np.nan)
    client.time_series.data.insert_dataframe(resampled, dropna=True)
    return {"written": int(resampled.count().sum()), "series": len(resampled.columns)}
