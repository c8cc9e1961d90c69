"""Sync equipment rows from a RAW staging table into data-modeling nodes."""
from cognite.client.data_classes.data_modeling import NodeApply, NodeOrEdgeData, ViewId

RAW_DB = "sap_staging"
RAW_TABLE = "equipment"
SPACE = "sp_equipment"
VIEW = ViewId(space="sp_model", external_id="Equipment", version="v2")
BATCH = 1000


def row_to_node(key, cols):
    props = {
        "name": cols.get("EQKTX") or key,
        "tag": cols.get("TIDNR"),
        "manufacturer": cols.get("HERST"),
        "installedAt": cols.get("INBDT"),
    }
    props = {k: v for k, v in props.items() if v not in (None, "")}
    return NodeApply(space=SPACE, external_id=f"equipment:{key}", sources=[NodeOrEdgeData(VIEW, props)])


def handle(client, data):
    limit = data.get("limit", -1)
    nodes = []
    applied = 0
    for row in client.raw.rows(RAW_DB, RAW_TABLE, chunk_size=BATCH, limit=limit):
        for r in row:
            nodes.append(row_to_node(r.key, r.columns))
        if len(nodes) >= BATCH:
            res = client.data_modeling.instances.apply(nodes=nodes, replace=False)
            applied += len(res.nodes)
            nodes = []
    if nodes:
        res = client.data_modeling.instances.apply(nodes=nodes, replace=False)
        applied += len(res.nodes)
    return {"applied": applied}
