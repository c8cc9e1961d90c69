def purge(cdf, root_ids):
    ts_ids = [t.id for t in cdf.time_series.list(asset_subtree_ids=root_ids, limit=None)]
    cdf.time_series.delete(id=ts_ids, ignore_unknown_ids=True)  # want: destructive-operation:critical
    cdf.assets.delete(id=root_ids, recursive=True, ignore_unknown_ids=True)  # want: destructive-operation:critical needs=assetsAcl:WRITE
    return len(ts_ids)
