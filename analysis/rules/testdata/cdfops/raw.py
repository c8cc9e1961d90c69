def handle(client, data):
    project = client.config.project
    client.post("/assets/delete", json={"items": [{"id": 1}]})  # want: destructive-operation:high needs=assetsAcl:WRITE
    client.post(f"/api/v1/projects/{project}/groups", json={"items": []})  # want: privilege-change:critical needs=groupsAcl:CREATE
    client.get("/assets")  # want: needs=assetsAcl:READ
    client.get("/units/frobnicate/deep")  # want: PF-CDF-005
    client.post(data["path"], json={})  # want: PF-CDF-006
    client.api_client._post("/functions/123/call", json={"data": {}})  # want: privilege-change:medium needs=functionsAcl:RUN
    return {}
