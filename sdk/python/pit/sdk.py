"""Client of the Pipekit SDK socket (the Pit protocol), standard library only, Python 3.9+.

Every Pipekit task gets ``PIT_SOCKET``, the path of a Unix socket served by the run. One request is one
connection: the client sends one JSON object ``{"method": ..., "params": {...}}``, half-closes its side, and
reads the ``{"result": ..., "error": ...}`` response until the server closes.
"""

import json
import os
import socket
from typing import Any, Dict, Optional

# Longer than the server's own 5 s read limit, so a server-side timeout arrives as an error response.
TIMEOUT_SECONDS = 30.0


class PitSDKError(RuntimeError):
    """The SDK call failed: no PIT_SOCKET, no server, or an error response. The message holds no secret value."""


def _call(method: str, params: Dict[str, Any]) -> Any:
    path = os.environ.get("PIT_SOCKET")
    if not path:
        raise PitSDKError("PIT_SOCKET is not set: pit.sdk works inside a task run by Pipekit")
    request = json.dumps({"method": method, "params": params}).encode("utf-8")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(TIMEOUT_SECONDS)
            conn.connect(path)
            conn.sendall(request)
            conn.shutdown(socket.SHUT_WR)
            received = bytearray()
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                received += chunk
    except OSError as exc:
        raise PitSDKError(f"cannot reach the Pipekit SDK socket {path}: {exc.strerror or exc}") from None
    try:
        response = json.loads(received.decode("utf-8"))
    except ValueError:
        raise PitSDKError(f"the SDK socket {path} sent a response that is not JSON") from None
    if not isinstance(response, dict):
        raise PitSDKError(f"the SDK socket {path} sent a response that is not a JSON object")
    error: Optional[str] = response.get("error")
    if error:
        raise PitSDKError(f"SDK error: {error}")
    return response.get("result")


def get_secret(key: str) -> str:
    """The secret ``key`` of this task's DAG: its project section first, then ``[global]``.

    A secret written as a TOML table comes back as a JSON object string; see ``get_secret_field``.
    Raises PitSDKError when the key is not found or the socket cannot be reached.
    """
    result = _call("get_secret", {"key": key})
    if not isinstance(result, str):
        raise PitSDKError("SDK error: get_secret answered without a string result")
    return result


def get_secret_field(secret: str, field: str) -> str:
    """One field of a table-valued secret, e.g. ``get_secret_field("claims_db", "password")``."""
    result = _call("get_secret_field", {"secret": secret, "field": field})
    if not isinstance(result, str):
        raise PitSDKError("SDK error: get_secret_field answered without a string result")
    return result
