from cognite.client.data_classes.data_modeling import NodeApply, NodeOrEdgeData, ViewId
from cognite.client.data_classes.data_modeling.query import NodeResultSetExpression, Query, Select, SourceSelector

SPACE = "plant-a"
PUMP_VIEW = ViewId("plant-a", "Pump", "v2")
HEALTH_THRESHOLD = 0.8


def build_query() -> Query:
    return Query(
        with_={"pumps": NodeResultSetExpression(limit=1000)},
        select={"pumps": Select([SourceSelector(PUMP_VIEW, ["efficiency", "name"])])},
    )


def handle(client, data):
    result = client.data_modeling.instances.query(build_query())
    updates = []
    for node in result["pumps"]:
        props = node.properties[PUMP_VIEW]
        healthy = props.get("efficiency", 0) >= HEALTH_THRESHOLD
        updates.append(NodeApply(SPACE, node.external_id, sources=[NodeOrEdgeData(PUMP_VIEW, {"healthy": healthy})]))
    client.data_modeling.instances.apply(nodes=updates)
    return {"updated": len(updates)}
