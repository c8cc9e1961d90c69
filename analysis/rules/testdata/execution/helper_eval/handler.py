from engine import Evaluator, run_rule
import engine as eng


def handle(client, data):
    ev = Evaluator()
    out = ev.evaluate(data["rule"])
    run_rule(data)
    eng.safe_eval("1+2")
    rows = client.raw.rows.list("db", "rules")
    for r in rows:
        ev.evaluate(r.columns["expr"])
    return {"out": out}
