"""The wire behaviour of the seed-era Pit client (seed 000 §5), reproduced for compatibility tests.

That client sends ``json.dumps({"method": ..., "params": ...})`` with no trailing newline, shuts down its
sending side (SHUT_WR), reads until EOF, and raises RuntimeError("SDK error: ...") on an error response.
Pipekit's server must work with it as it is, so this module must not be "improved".
"""

import json
import os
import socket


def request(method, params=None):
    address = os.environ.get("PIT_SOCKET")
    if not address:
        raise RuntimeError("PIT_SOCKET environment variable not set")
    payload = json.dumps({"method": method, "params": params or {}}).encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(address)
        conn.sendall(payload)
        conn.shutdown(socket.SHUT_WR)
        parts = []
        while True:
            part = conn.recv(4096)
            if not part:
                break
            parts.append(part)
    response = json.loads(b"".join(parts))
    if response.get("error"):
        raise RuntimeError(f"SDK error: {response['error']}")
    return response.get("result", "")


def get_secret(key):
    return request("get_secret", {"key": key})
