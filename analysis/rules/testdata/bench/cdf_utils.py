"""Small wrappers around the Cognite SDK with retries and batching."""
import logging
import time

from cognite.client.data_classes import TimeSeries
from cognite.client.exceptions import CogniteAPIError, CogniteNotFoundError

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
BATCH_SIZE = 10_000


def _retry(fn, *args, **kwargs):
    delay = 0.5
    for attempt in range(MAX_RETRIES):
        try:
            return fn(*args, **kwargs)
        except CogniteAPIError as exc:
            if exc.code not in (429, 500, 502, 503) or attempt == MAX_RETRIES - 1:
                raise
            logger.info("retrying after %s (attempt %d)", exc.code, attempt + 1)
            time.sleep(delay)
            delay *= 2
    return None


def fetch_datapoints(client, external_id, start, end, granularity, aggregate):
    dps = _retry(
        client.time_series.data.retrieve,
        external_id=external_id,
        start=start,
        end=end,
        granularity=granularity,
        aggregates=[aggregate],
    )
    if dps is None:
        return []
    values = getattr(dps, aggregate, None) or []
    return list(zip(dps.timestamp, values))


def ensure_time_series(client, external_id, name, unit=None):
    existing = client.time_series.retrieve(external_id=external_id)
    if existing is not None:
        return existing
    ts = TimeSeries(external_id=external_id, name=name, unit=unit, metadata={"kpi": "derived"})
    try:
        return client.time_series.create(ts)
    except CogniteAPIError as exc:
        logger.warning("could not create %s: %s", external_id, exc)
        raise


def write_datapoints(client, external_id, series):
    for i in range(0, len(series), BATCH_SIZE):
        batch = series[i : i + BATCH_SIZE]
        _retry(client.time_series.data.insert, batch, external_id=external_id)
        logger.debug("wrote %d points to %s", len(batch), external_id)


def delete_old(client, external_id, before):
    try:
        client.time_series.data.delete_range(start=0, end=before, external_id=external_id)
    except CogniteNotFoundError:
        logger.info("nothing to delete for %s", external_id)


def list_sources(client, label):
    out = []
    for ts in client.time_series(metadata={"kpi": label}, chunk_size=100):
        out.append(ts.external_id)
    return out
