def purge(cdf, root_ids):
    subtree = cdf.assets.retrieve_subtree(id=root_ids[0]) if root_ids else []
    ts_ids = [t.id for t in cdf.time_series.list(asset_subtree_ids=root_ids, limit=None)]
    cdf.time_series.delete(id=ts_ids, ignore_unknown_ids=True)
    cdf.assets.delete(id=root_ids, recursive=True, ignore_unknown_ids=True)
    return len(subtree) + len(ts_ids)
