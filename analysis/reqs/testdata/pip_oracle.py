"""Differential oracle for analysis/reqs: parse requirements files with pip's
own parser (pip 23.2.1's private API, offline) and print per-line facts as
JSON. Input on stdin: a JSON list of {"text": str, "env": {name: value}}.
Output: a JSON list (one entry per input) of lists of line records.
"""
import json
import os
import sys
import tempfile

from pip._internal.network.session import PipSession
from pip._internal.req.constructors import install_req_from_parsed_requirement
from pip._internal.req.req_file import (
    RequirementsFileParser,
    get_line_parser,
    handle_requirement_line,
)


SESSION = PipSession()


def parse_one(path):
    parser = RequirementsFileParser(SESSION, get_line_parser(None))
    records = []
    try:
        for line in parser._parse_file(path, constraint=False):
            rec = {"line": line.lineno, "is_requirement": line.is_requirement}
            o = line.opts
            rec["index_url"] = o.index_url
            rec["extra_index_urls"] = list(o.extra_index_urls or [])
            rec["trusted_hosts"] = list(o.trusted_hosts or [])
            hashes = []
            for alg, values in sorted((o.hashes or {}).items()):
                hashes += [alg + ":" + v for v in values]
            rec["hashes"] = hashes
            rec["requirements"] = list(o.requirements or [])
            rec["constraints"] = list(o.constraints or [])
            if line.is_requirement:
                rec["editable"] = line.is_editable
                try:
                    ireq = install_req_from_parsed_requirement(handle_requirement_line(line))
                    rec["name"] = ireq.req.name if ireq.req else ""
                    rec["specifier"] = str(ireq.req.specifier) if ireq.req else ""
                except Exception as e:  # InstallationError, InvalidWheelFilename, ...
                    rec["error"] = str(e)
            records.append(rec)
    except Exception as e:
        records.append({"line": -1, "error": str(e)})
    return records


def main():
    cases = json.load(sys.stdin)
    out = []
    with tempfile.TemporaryDirectory() as d:
        os.chdir(d)  # relative paths must not exist
        for i, case in enumerate(cases):
            path = os.path.join(d, "req%d.txt" % i)
            with open(path, "wb") as f:
                f.write(case["text"].encode("utf-8"))
            saved = dict(os.environ)
            os.environ.update(case.get("env") or {})
            try:
                out.append(parse_one(path))
            finally:
                os.environ.clear()
                os.environ.update(saved)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
