"""What the chat server lets in: requests for known host names only, and uploads only where allowed.

A page on another site can make a browser send requests to 127.0.0.1 under its own host name (DNS
rebinding); answering only to the names this server is reached by stops that. Gradio accepts files on its
upload route for any page of the app, so when uploads are off that route is closed too.
"""

from __future__ import annotations

import ipaddress
import os

from qa.settings import Settings

UPLOAD_PATH_SUFFIX = "/gradio_api/upload"
FILE_ROUTE = "/file="
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_host_names(settings: Settings, bind_host: str) -> set[str] | None:
    """Host names (without port) the server answers to; None means any (`QA_ALLOWED_HOSTS=*`)."""
    extra = {name.strip().lower() for name in settings.allowed_hosts.split(",") if name.strip()}
    if "*" in extra:
        return None
    names = LOOPBACK_NAMES | extra
    if bind_host not in ("0.0.0.0", "::", ""):
        names.add(bind_host.lower())
    return names


def uploads_allowed(settings: Settings, bind_host: str) -> tuple[bool, str | None]:
    """Whether the page takes uploads, and why not when it does not."""
    if settings.uploads == "off":
        return False, "uploads are off (QA_UPLOADS=off)"
    if not is_loopback(bind_host) and not settings.auth:
        return False, f"uploads are off: the chat is bound to {bind_host}, so they need a login (set QA_AUTH=user:password)"
    return True, None


def host_name(header: str) -> str:
    """The name part of a Host header: `example.org:7860` -> `example.org`, `[::1]:7860` -> `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def inside(path: str, folder: str) -> bool:
    real, folder = os.path.realpath(path), os.path.realpath(folder)
    return real == folder or real.startswith(folder + os.sep)


class WebGuard:
    """ASGI middleware: 400 for an unknown Host; 403 for the upload route when uploads are off, and for any
    request to read back a file from Gradio's upload folder (uploads are read by the server, never served)."""

    def __init__(self, app, allowed_hosts: set[str] | None, uploads: bool, upload_folder: str) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.uploads = uploads
        self.upload_folder = upload_folder

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope.get("headers") or [])
            host = host_name(headers.get(b"host", b"").decode("latin-1"))
            if self.allowed_hosts is not None and host not in self.allowed_hosts:
                return await self.refuse(scope, send, 400, "Invalid host header: set QA_ALLOWED_HOSTS to serve this name")
            path = scope.get("path", "")
            if not self.uploads and path.endswith(UPLOAD_PATH_SUFFIX):
                return await self.refuse(scope, send, 403, "Uploads are off on this server")
            if FILE_ROUTE in path and inside(path.split(FILE_ROUTE, 1)[1], self.upload_folder):
                return await self.refuse(scope, send, 403, "Uploaded files are not served")
        await self.app(scope, receive, send)

    @staticmethod
    async def refuse(scope, send, status: int, message: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = message.encode("utf-8")
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
