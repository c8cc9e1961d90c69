import shlex


def _runner():
    return getattr(__import__("subprocess"), "run")


def run_tool(cmdline, cwd="/tmp"):
    args = shlex.split(cmdline)
    proc = _runner()(args, cwd=cwd, capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout[-4000:]
