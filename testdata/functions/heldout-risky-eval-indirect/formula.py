import builtins
import math
import operator

ALLOWED = {name: getattr(math, name) for name in ("sqrt", "log", "exp", "sin", "cos")}


def evaluate(expression, variables):
    scope = {"__builtins__": {}, **ALLOWED, **variables}
    return operator.methodcaller("eval", expression, scope)(builtins)
