def handle(client, data):
    latest = client.time_series.data.retrieve_latest(external_id=data.get("external_ids", []))
    return {d.external_id: (d.value[0] if len(d.value) else None) for d in latest}
