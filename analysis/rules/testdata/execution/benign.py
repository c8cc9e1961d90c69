import ast
import json
import subprocess

import yaml

# Long runs of one or two characters are padding and test fixtures, not
# encoded payloads: too little entropy to hide anything.
ZERO_KEY = "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
RULER = "aAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaA"


def handle(client, data):
    cfg = json.loads(data.get("config", "{}"))
    lit = ast.literal_eval(data.get("literal", "1"))
    doc = yaml.safe_load(data.get("yaml", ""))
    ops = {"sum": sum, "max": max}
    fn = ops.get(data.get("op"), sum)
    total = fn([1, 2, 3])
    version = "3.11"
    return {"cfg": cfg, "lit": lit, "doc": doc, "total": total, "v": version}
