def handle(client, data, secrets):
    row = {"endpoint": data.get("endpoint", "erp"), "key": secrets["erp-key"]}
    client.raw.rows.insert("integration", "config", {"erp": row}, ensure_parent=True)
    return {"ok": True}
