from itertools import islice


def _chunks(seq, size):
    it = iter(seq)
    while chunk := list(islice(it, size)):
        yield chunk


def purge(api, ids, dry_run=False):
    removed = 0
    for chunk in _chunks(ids, 1000):
        if not dry_run:
            api.delete(id=chunk, ignore_unknown_ids=True)
        removed += len(chunk)
    return removed
