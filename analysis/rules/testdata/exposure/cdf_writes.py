from cognite.client.data_classes import Asset


def handle(client, data, secrets):
    token = secrets["token"]
    client.assets.create(Asset(external_id="a", name="a", metadata={"token": token}))  # want: secret-exposure
    client.time_series.list(limit=5)
    client.assets.list(name=token)
    with open("/tmp/creds.txt", "w") as f:
        f.write(token)  # want: PF-EXPOSE-005
    with open("/tmp/log.txt", "w") as g:
        g.write("started")
    return {"n": 1}
