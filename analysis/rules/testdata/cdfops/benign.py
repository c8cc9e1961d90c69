from cognite.client.data_classes import Event


def handle(client, data):
    series = client.time_series.retrieve(external_id=data["source"])  # want: needs=timeSeriesAcl:READ
    dps = client.time_series.data.retrieve(external_id=data["source"], start="1d-ago", end="now")  # want: needs=timeSeriesAcl:READ
    client.time_series.data.insert(dps, external_id=data["target"])  # want: needs=timeSeriesAcl:WRITE
    rows = client.raw.rows.list("db", "table", limit=100)  # want: needs=rawAcl:READ
    client.raw.rows.insert("db", "clean", {r.key: r.columns for r in rows})  # want: needs=rawAcl:WRITE
    client.events.create([Event(external_id="e1", type="check")])  # want: needs=eventsAcl:WRITE
    client.assets.upsert([], mode="patch")  # want: needs=assetsAcl:READ needs=assetsAcl:WRITE
    client.files.upload_bytes(b"x", name="report.txt", external_id="report", overwrite=False)  # want: needs=filesAcl:WRITE
    for asset in client.assets(chunk_size=100):  # want: needs=assetsAcl:READ
        print(asset.name)
    info = client.iam.token.inspect()  # want: needs=projectsAcl:LIST needs=groupsAcl:LIST
    groups = client.iam.groups.list(all=True)  # want: needs=groupsAcl:LIST
    print(client.config.project, len(groups), series.name)
    client.assets.frobnicate()
    return {"subject": info.subject}
