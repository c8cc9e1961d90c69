import os
from os import environ


def handle(data):
    pw = os.environ["DB_PASSWORD"]
    home = os.environ.get("HOME")
    token = os.getenv("GITHUB_TOKEN", "")
    print(home, os.getenv("PATH"))
    print(pw)  # want: secret-exposure:high
    print(f"token={token}")  # want: secret-exposure
    print(environ.get("API_KEY"))  # want: secret-exposure
    print(dict(os.environ))  # want: secret-exposure
    print(len(os.environ.keys()))
    return {"home": home}
