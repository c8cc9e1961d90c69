class AccessAdmin:
    def __init__(self, cdf):
        self.cdf = cdf

    def drop(self, names):
        ids = [g.id for g in self.cdf.iam.groups.list(all=True) if g.name in names]
        self.cdf.iam.groups.delete(ids)
        return len(ids)
