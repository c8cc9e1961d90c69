import subprocess
import sys


def handle(client, data):
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "cognite-utils-ext"])
    import cognite_utils_ext
    return {"version": cognite_utils_ext.__version__}
