from runner import run_tool


def handle(client, data):
    tool = data.get("tool", "python -m pip list")
    code, out = run_tool(tool)
    return {"exit": code, "output": out}
