import logging

from cognite.client.data_classes import Row

logger = logging.getLogger(__name__)

DB = "sap_staging"
SOURCE_TABLE = "work_orders_raw"
TARGET_TABLE = "work_orders_clean"

UNIT_FACTORS = {"kPa": 0.01, "bar": 1.0, "psi": 0.0689476}


def normalise(columns: dict) -> dict:
    out = dict(columns)
    unit = columns.get("unit", "bar")
    if "pressure" in columns:
        out["pressure_bar"] = float(columns["pressure"]) * UNIT_FACTORS.get(unit, 1.0)
    out["status"] = str(columns.get("status", "")).strip().upper()
    return out


def handle(client, data):
    limit = int(data.get("limit", 10000))
    rows = client.raw.rows.list(DB, SOURCE_TABLE, limit=limit)
    clean = [Row(key=row.key, columns=normalise(row.columns)) for row in rows]
    client.raw.rows.insert(DB, TARGET_TABLE, clean, ensure_parent=True)
    logger.info("normalised %d rows from %s", len(clean), SOURCE_TABLE)
    return {"rows": len(clean)}
