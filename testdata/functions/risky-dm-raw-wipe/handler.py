def handle(client, data):
    space = data.get("space", "plant-a")
    nodes = client.data_modeling.instances.list(instance_type="node", space=space, limit=-1)
    client.data_modeling.instances.delete(nodes=[n.as_id() for n in nodes])
    client.raw.databases.delete("staging", recursive=True)
    return {"deleted": len(nodes)}
