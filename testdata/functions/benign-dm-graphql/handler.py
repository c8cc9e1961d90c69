from cognite.client.data_classes.data_modeling import DataModelId, NodeApply, NodeOrEdgeData, ViewId

MODEL = DataModelId("plant-a", "Maintenance", "3")
VIEW = ViewId("plant-a", "WorkOrderSummary", "1")
QUERY = """
query { listWorkOrder(first: 100) { items { externalId execStatus tokenCount } } }
"""


def handle(client, data):
    result = client.data_modeling.graphql.query(MODEL, QUERY)
    items = result["listWorkOrder"]["items"]
    nodes = [NodeApply("plant-a", f"summary-{i['externalId']}", sources=[NodeOrEdgeData(VIEW, {"status": i["execStatus"], "tokens": i["tokenCount"]})]) for i in items]
    client.data_modeling.instances.apply(nodes=nodes)
    return {"nodes": len(nodes)}
