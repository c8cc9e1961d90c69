def handle(client, data):
    client.files.upload("/tmp/state.json", external_id="state", overwrite=True)  # want: destructive-operation:medium needs=filesAcl:WRITE
    client.files.upload_bytes(b"reset", name="state.txt", external_id="state", overwrite=True)  # want: destructive-operation:medium
    client.data_modeling.instances.apply(nodes=[], replace=True)  # want: destructive-operation:medium needs=dataModelInstancesAcl:WRITE
    client.assets.upsert([], mode="replace")  # want: destructive-operation:medium
    client.data_modeling.instances.apply(nodes=[], replace=False)  # want: needs=dataModelInstancesAcl:WRITE
    client.files.upload_bytes(b"x", name="a.txt")  # want: needs=filesAcl:WRITE
    return {}
