def _run(src):
    return eval(src)  # want: code-execution:critical


class Evaluator:
    def evaluate(self, text):
        cleaned = text.strip()
        return _run(cleaned)


def run_rule(d):
    return exec(d["rule"])  # want: code-execution:critical


def safe_eval(expr):
    return eval(expr)  # want: code-execution:medium
