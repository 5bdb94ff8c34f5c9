"""Load and durability benchmark of the web questionnaire (loopback only; stops by itself).

    python bench/bench_web_load.py [--clients 50] [--per-client 2] [--max-seconds 120] [--kill-after 3]

Creates a temporary analysis folder with the standard questionnaire and access codes, starts
``sicherheitsanalyse serve`` as a subprocess on 127.0.0.1 (free port) and lets N client threads (plain
``http.client``) answer complete questionnaires: code entry, every page (first option of every radio
group, a unique marker in the free-text fields), final submit. Prints submissions per second and checks
that the store holds exactly the acknowledged submissions.

``--kill-after S`` sends SIGKILL to the server S seconds into the run (but not before the first
acknowledged submission), while the other clients are in the middle of their pages; afterwards every acknowledged
submission (identified by its marker) must be in ``antworten.sqlite`` (acknowledged = durable). Exit
status 0 if the check holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ANALYSE = """\
kommune: Benchstadt
ags: "14599001"
jahr: 2025
fragebogen: sicherheitsanalyse-standard
antworten: []
ortsteile: {1: Altstadt, 2: Nord, 3: Süd}
"""

_INPUT = re.compile(r"<input\b([^>]*)>", re.S)
_TEXTAREA = re.compile(r"<textarea\b[^>]*\bname=\"([^\"]+)\"", re.S)
_ATTR = re.compile(r"(\w[\w-]*)=\"([^\"]*)\"")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(folder: Path, count: int) -> list[str]:
    from survey.access_codes import generate_code, hash_code
    from survey.store import STORE_NAME, AnswerStore

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "analyse.yaml").write_text(ANALYSE, encoding="utf-8")
    store = AnswerStore(folder / STORE_NAME)
    codes = [generate_code() for _ in range(count)]
    store.add_codes([hash_code(code, store.code_salt) for code in codes], store.next_batch())
    store.close()
    return codes


class Client:
    """One browser-like client: cookie jar of one cookie, CSRF token from the last page."""

    def __init__(self, port: int, timeout: float):
        self.port = port
        self.timeout = timeout
        self.cookie = ""
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        body = urlencode(fields or {}, doseq=True) if method == "POST" else None
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.last = f"{method} {path}"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        location = response.getheader("Location") or ""
        return response.status, text, location.replace(f"http://127.0.0.1:{self.port}", "")


def form_answers(page: str, marker: str) -> dict[str, str]:
    """First option of every radio group, the marker in every text area; CSRF token included."""
    fields: dict[str, str] = {}
    for match in _INPUT.finditer(page):
        attrs = dict(_ATTR.findall(match.group(1)))
        name, kind = attrs.get("name"), attrs.get("type")
        if name == "csrf_token":
            fields[name] = html.unescape(attrs.get("value", ""))
        elif kind == "radio" and name not in fields:
            fields[name] = attrs["value"]
    for name in _TEXTAREA.findall(page):
        fields[name] = marker
    return fields


def answer_one(client: Client, code: str, marker: str) -> bool:
    """One complete questionnaire; True if the server acknowledged the submission (redirect to /danke)."""
    status, page, _ = client.request("GET", "/")
    token = form_answers(page, marker)["csrf_token"]
    status, page, location = client.request("POST", "/", {"csrf_token": token, "code": code})
    if status != 302:
        raise RuntimeError(f"Code nicht angenommen (Status {status})")
    for _ in range(100):
        if location.startswith("/abschluss"):
            break
        status, page, _ = client.request("GET", location)
        fields = form_answers(page, marker)
        status, page, location = client.request("POST", location, {**fields, "aktion": "weiter"})
        if status != 302:
            raise RuntimeError(f"Seite nicht angenommen (Status {status})")
    status, page, _ = client.request("GET", "/abschluss")
    token = form_answers(page, marker)["csrf_token"]
    status, _, location = client.request("POST", "/abschluss", {"csrf_token": token})
    return status == 302 and location.startswith("/danke")


def wait_for_port(port: int, seconds: float, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("Server ist nicht gestartet:\n" + log_path.read_text(encoding="utf-8", errors="replace"))


def stored_markers(folder: Path) -> list[str]:
    from survey.store import read_responses

    frame = read_responses(folder)
    text_columns = [column for column in frame.columns if column not in ("resp_id", "modus")]
    markers = []
    for _, row in frame.iterrows():
        values = {row[column] for column in text_columns if isinstance(row[column], str)
                  and row[column].startswith("bench-")}
        markers.extend(values)
    return markers


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-web-") as temp:
        folder = Path(temp) / "benchstadt"
        total = args.clients * args.per_client
        codes = prepare(folder, total)
        port = free_port()
        log_path = Path(temp) / "server.log"
        log_file = open(log_path, "wb")  # a file, not a pipe: a full pipe would block the server
        server = subprocess.Popen(
            [sys.executable, "-m", "survey", "serve", str(folder), "--port", str(port), "--unsichere-cookies",
             "--threads", str(args.threads)],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=log_file,
        )
        acknowledged: list[str] = []
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.max_seconds
        try:
            wait_for_port(port, 30, server, log_path)

            def worker(index: int) -> None:
                client = Client(port, timeout=30)
                for number in range(args.per_client):
                    if time.monotonic() > deadline:
                        return
                    marker = f"bench-{index}-{number}"
                    try:
                        if answer_one(client, codes[index * args.per_client + number], marker):
                            with lock:
                                acknowledged.append(marker)
                    except (OSError, http.client.HTTPException, RuntimeError, KeyError) as error:
                        with lock:
                            errors.append(f"{type(error).__name__}: {error} ({getattr(client, 'last', '')})")
                        return

            threads = [threading.Thread(target=worker, args=(index,), daemon=True) for index in range(args.clients)]
            start = time.monotonic()
            for thread in threads:
                thread.start()
            killed = False
            if args.kill_after is not None:
                # Kill at the given time, but not before the first acknowledged submission (else the
                # durability check would be empty).
                time.sleep(args.kill_after)
                while not acknowledged and time.monotonic() < deadline and any(t.is_alive() for t in threads):
                    time.sleep(0.05)
                os.kill(server.pid, signal.SIGKILL)
                killed = True
            for thread in threads:
                thread.join(timeout=max(0.0, deadline - time.monotonic()) + 35)
            elapsed = time.monotonic() - start
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            log_file.close()
        markers = stored_markers(folder)
        missing = sorted(set(acknowledged) - set(markers))
        print(f"Clients: {args.clients}, Fragebögen je Client: {args.per_client}, Server-Threads: {args.threads}")
        print(f"Bestätigte Abgaben: {len(acknowledged)} in {elapsed:.1f} s "
              f"= {len(acknowledged) / elapsed:.1f} Abgaben/s".replace(".", ","))
        print(f"Im Speicher: {len(markers)}; Fehler bei Clients: {len(errors)}"
              + (" (Server absichtlich mit SIGKILL beendet)" if killed else ""))
        if errors and not killed:
            print("Erster Fehler:", errors[0])
            log = log_path.read_text(encoding="utf-8", errors="replace")
            lines = [line for line in log.splitlines() if "Task queue depth" not in line]
            if lines:
                print("Server meldet:", "\n".join(lines[:40]))
        if missing:
            print(f"FEHLER: {len(missing)} bestätigte Abgaben fehlen im Speicher, z. B. {missing[:3]}")
            return 1
        if not killed and (len(markers) != len(acknowledged) or errors):
            print("FEHLER: gespeichert ≠ bestätigt")
            return 1
        if killed:
            print(f"OK: alle {len(acknowledged)} bestätigten Abgaben sind nach SIGKILL im Speicher "
                  f"({len(markers) - len(acknowledged)} weitere waren gespeichert, aber noch nicht bestätigt).")
        else:
            print("OK: gespeichert = bestätigt")
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="stop starting new questionnaires after this")
    parser.add_argument("--kill-after", type=float, default=None,
                        help="SIGKILL the server after this many seconds (not before the first acknowledgement)")
    args = parser.parse_args()
    if not (1 <= args.clients <= 200 and 1 <= args.per_client <= 20 and args.max_seconds <= 600):
        raise SystemExit("Grenzen: 1-200 Clients, 1-20 Fragebögen je Client, höchstens 600 s.")
    raise SystemExit(run(args))


if __name__ == "__main__":
    main()
