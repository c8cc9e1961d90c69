class Service:
    def __init__(self, token):
        self.token = token
        self.calls = 0

    def dump(self):
        print(vars(self))  # want: secret-exposure
        print("calls", self.calls)

    def summary(self):
        return {"calls": self.calls}
