import os
import subprocess
from subprocess import *
from os import system as s


def handle(client, data):
    subprocess.run(["ls", "-l"])  # want: PF-EXEC-002:low
    subprocess.run("ls -l", shell=True)  # want: PF-EXEC-002:medium
    os.system("uptime")  # want: PF-EXEC-002:medium
    cmd = data["cmd"]
    s(cmd)  # want: code-execution:critical
    check_output(["git", "clone", data["repo"]])  # want: code-execution:critical
    p = Popen(f"grep {data['q']} /tmp/x", shell=True)  # want: code-execution:critical
    os.popen("echo " + cmd).read()  # want: code-execution:critical
    return {"ok": p is not None}
