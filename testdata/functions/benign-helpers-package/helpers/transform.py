from cognite.client.data_classes import Asset


def to_assets(rows, root):
    return [Asset(external_id=r["id"], name=r["name"], parent_external_id=root, metadata={"tag": r.get("tag", "")}) for r in rows]
