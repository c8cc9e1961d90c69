"""Scores anomalies. We never eval() or exec() input, and run no subprocess."""
import statistics

MODEL_STAGE = "evaluation"
NOTES = "do not use eval; exec is forbidden here"


class ZScoreModel:
    def __init__(self):
        self.training = True

    def eval(self):
        self.training = False
        return self

    def execute(self, values):
        mu = statistics.mean(values)
        sd = statistics.pstdev(values) or 1.0
        return [(v - mu) / sd for v in values]


def handle(client, data):
    model = ZScoreModel().eval()
    dps = client.time_series.data.retrieve(external_id=data["external_id"], start="7d-ago", end="now")
    scores = model.execute(list(dps.value))
    flagged = [t for t, s in zip(dps.timestamp, scores) if abs(s) > 3]
    return {"stage": MODEL_STAGE, "anomalies": len(flagged)}
