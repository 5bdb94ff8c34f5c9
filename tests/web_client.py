"""A minimal browser for tests against a real ``sicherheitsanalyse serve`` process on loopback.

One keep-alive connection (optionally from a chosen source address such as 127.0.0.2), one cookie,
redirects followed, forms answered by name. No test here trusts the server's own helpers.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
_FORM = re.compile(r'<form method="post" action="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``python -m survey serve FOLDER`` as a subprocess; ``stop()`` sends SIGTERM, ``kill()`` SIGKILL."""

    def __init__(self, folder: Path, *args: str, port: int | None = None):
        self.port = port or free_port()
        self.log = open(folder.parent / f"server-{self.port}.log", "w+b")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "survey", "serve", str(folder), "--port", str(self.port), *args],
            cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("Server beendet: " + self.output())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("Server nicht erreichbar: " + self.output())

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def stop(self, timeout: float = 45) -> str:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        return self.output()

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        time.sleep(0.3)  # the workers die with the supervisor (PR_SET_PDEATHSIG)


class Browser:
    def __init__(self, port: int, source: str | None = None, headers: dict | None = None, timeout: float = 30):
        self.port = port
        self.cookie = ""
        self.extra = dict(headers or {})
        address = (source, 0) if source else None
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=address)
        self.status = 0
        self.page = ""
        self.path = "/"

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        body = urlencode(fields or {}, doseq=True) if method == "POST" else None
        headers = {**self.extra, **({"Cookie": self.cookie} if self.cookie else {})}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, text, response.getheader("Location") or ""

    def get(self, path: str) -> str:
        self.status, self.page, location = self.request("GET", path)
        self.path = path
        while self.status in (302, 303) and location:
            self.path = location
            self.status, self.page, location = self.request("GET", location)
        return self.page

    def post(self, path: str, fields: dict) -> str:
        token = _CSRF.search(self.page)
        data = {"csrf_token": html.unescape(token.group(1)) if token else "", **fields}
        self.status, self.page, location = self.request("POST", path, data)
        while self.status in (302, 303) and location:
            self.path = location
            self.status, self.page, location = self.request("GET", location)
        return self.page

    @property
    def action(self) -> str:
        """Where the form on the current page posts to (``/seite/K``, ``/abschluss``, ``/``)."""
        match = _FORM.search(self.page)
        return match.group(1) if match else ""

    def enter(self, code: str) -> str:
        self.get("/")
        return self.post("/", {"code": code})

    def answer(self, fields: dict, action: str = "weiter") -> str:
        return self.post(self.action, {**fields, "aktion": action})

    def submit(self) -> bool:
        """Send the questionnaire from the review page; True if the thank-you page came back."""
        self.post("/abschluss", {})
        return self.path == "/danke" and "Vielen Dank" in self.page
