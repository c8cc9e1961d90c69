import builtins
import importlib
import sys
import threading
from functools import partial

run = eval


def calc(expr):
    return eval(expr)  # want: code-execution:critical


def handle(client, data):
    eval(data["expr"])  # want: PF-EXEC-001:critical
    code = "result = " + data.get("formula", "0")
    exec(code)  # want: code-execution:critical
    run(data["x"])  # want: code-execution:critical
    calc(data["y"])
    fn = getattr(builtins, "ev" + "al")  # want: obfuscation:high
    fn(data["z"])  # want: code-execution:critical
    name = data["builtin"]
    getattr(builtins, name)("1+1")  # want: PF-EXEC-006:critical
    importlib.import_module(data["plugin"])  # want: PF-EXEC-004:critical
    importlib.import_module("json")
    results = list(map(eval, data["exprs"]))  # want: code-execution:critical
    eval("1 + 1")  # want: code-execution:medium
    sys.modules["o" + "s"].system(data["cmd"])  # want: code-execution:critical
    threading.Thread(target=exec, args=(data["t"],)).start()  # want: code-execution:critical
    partial(eval, data["p"])()  # want: code-execution:critical
    return {"results": results}
