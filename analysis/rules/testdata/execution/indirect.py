import builtins
import importlib
import operator
import os


def handle(client, data):
    builtins.__dict__["ev" + "al"](data["a"])  # want: code-execution:critical obfuscation:high
    os.__dict__["system"](data["cmd"])  # want: code-execution:critical PF-OBF-007
    run = getattr(__import__("subprocess"), "run")  # want: obfuscation:high
    run(data["argv"])  # want: code-execution:critical
    operator.methodcaller("eval", data["expr"], {})(builtins)  # want: code-execution:critical obfuscation:high
    operator.methodcaller("system", "ls")(os)  # want: code-execution obfuscation
    operator.attrgetter("popen")(os)  # want: obfuscation:high
    # not code-running: plain dynamic access stays quiet
    getattr(os.path, "join")("a", "b")
    operator.methodcaller("strip")(data["s"])
    operator.attrgetter("name")(client)
    getattr(importlib.import_module("json"), "dumps")({})
    return {"ok": True}
