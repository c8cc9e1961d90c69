def handle(client, data):
    client.assets.delete(id=123)  # want: destructive-operation:high needs=assetsAcl:WRITE
    client.time_series.delete(external_id=data["xid"])  # want: destructive-operation:critical needs=timeSeriesAcl:WRITE
    old = client.events.list(type="tmp", limit=None)  # want: needs=eventsAcl:READ
    client.events.delete(id=[e.id for e in old])  # want: destructive-operation:critical
    client.raw.databases.delete("staging", recursive=True)  # want: destructive-operation:high needs=rawAcl:WRITE
    client.datapoints.delete_range(start=0, end="now", external_id="x")  # want: destructive-operation:high needs=timeSeriesAcl:WRITE
    client.data_modeling.instances.delete(nodes=("space", "pump-1"))  # want: destructive-operation:high needs=dataModelInstancesAcl:WRITE
    client.files.delete(id=7)  # want: destructive-operation:high needs=filesAcl:WRITE
    return {}
