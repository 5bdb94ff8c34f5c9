"""Load and durability benchmark of the web questionnaire (loopback only; stops by itself).

    python bench/bench_web_load.py [--clients 50] [--per-client 2] [--max-seconds 120] [--kill-after 3]
                                   [--threads 8] [--repo PATH]

Creates a temporary analysis folder with the standard questionnaire, issues access codes with the
real ``codes`` command (read back from the print-shop list), starts ``sicherheitsanalyse serve`` as a
subprocess on 127.0.0.1 (free port) and lets N client threads (plain ``http.client``, one keep-alive
connection each, cookies like a browser) answer complete questionnaires: code entry, every page
(first option of every radio group, a unique marker in the free-text fields), final submit.

Prints completed questionnaires per second, the *page latency* (from sending a page's answers to
having the next page's HTML, redirects included) as median and 95th percentile, requests per
questionnaire and the server's CPU time per questionnaire, and checks that the store holds exactly
the acknowledged submissions.

``--kill-after S`` sends SIGKILL to the server S seconds into the run (but not before the first
acknowledged submission), while other clients are in the middle of their pages; afterwards every
acknowledged submission (identified by its marker) must be in ``antworten.sqlite``
(acknowledged = durable). ``--repo PATH`` runs the server (and the ``codes`` command) from another
checkout, to compare with an earlier version. Exit status 0 if the check holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import re
import signal
import socket
import statistics
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
anschreiben:
  absender: "Stadt Benchstadt, Markt 1"
  url: "https://befragung.benchstadt.example"
"""

_FORM = re.compile(r'<form method="post" action="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
_RADIO = re.compile(r'<input type="radio" name="([^"]+)" id="[^"]*" value="([^"]*)"')
_TEXTAREA = re.compile(r"<textarea\b[^>]*\bname=\"([^\"]+)\"", re.S)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_env(repo: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def prepare(folder: Path, count: int, repo: Path) -> list[str]:
    """An analysis folder with ``count`` codes, issued by the ``codes`` command of ``repo``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "analyse.yaml").write_text(ANALYSE, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "survey", "codes", str(folder), "--anzahl", str(count)],
                   cwd=repo, env=run_env(repo), check=True, stdout=subprocess.DEVNULL)
    lines = (folder / "anschreiben" / "druckerei-stapel-1.csv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split(";")[1] for line in lines]


class Client:
    """One browser-like client: one keep-alive connection, one cookie, follows redirects."""

    def __init__(self, port: int, timeout: float):
        self.port = port
        self.cookie = ""
        self.requests = 0
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
        self.requests += 1
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        location = response.getheader("Location") or ""
        return response.status, text, location.replace(f"http://127.0.0.1:{self.port}", "")

    def submit(self, path: str, fields: dict) -> tuple[str, str]:
        """POST, then follow redirects with GET; (final path, final HTML)."""
        status, text, location = self.request("POST", path, fields)
        while status in (301, 302, 303) and location:
            path = location
            status, text, location = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"Status {status} nach {self.last}")
        return path, text


def form_answers(page: str, marker: str) -> dict[str, str]:
    """First option of every radio group, the marker in every text area; CSRF token included."""
    fields: dict[str, str] = {}
    token = _CSRF.search(page)
    if token:
        fields["csrf_token"] = html.unescape(token.group(1))
    for name, value in _RADIO.findall(page):
        fields.setdefault(name, value)
    for name in _TEXTAREA.findall(page):
        fields[name] = marker
    return fields


def answer_one(client: Client, code: str, marker: str, latencies: list[float],
               submits: list[float] | None = None) -> bool:
    """One complete questionnaire; True if the server acknowledged the submission (thank-you page).

    Every page is answered by posting to its form's address; the server answers with the next page
    directly or with a redirect to it (followed), either way one "page step" is timed.
    """
    status, page, _ = client.request("GET", "/")
    token = form_answers(page, marker)["csrf_token"]
    path, page = client.submit("/", {"csrf_token": token, "code": code})
    for _ in range(100):
        match = _FORM.search(page)
        action = match.group(1) if match else ""
        if action == "/abschluss":
            break
        if not action.startswith("/seite/"):
            raise RuntimeError(f"Code nicht angenommen ({path})")
        started = time.perf_counter()
        path, page = client.submit(action, {**form_answers(page, marker), "aktion": "weiter"})
        latencies.append(time.perf_counter() - started)
    token = form_answers(page, marker)["csrf_token"]
    started = time.perf_counter()
    path, page = client.submit("/abschluss", {"csrf_token": token})
    latencies.append(time.perf_counter() - started)
    if submits is not None:
        submits.append(latencies[-1])
    return path.startswith("/danke")


def wait_for_port(port: int, seconds: float, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("Server ist nicht gestartet:\n" + log_path.read_text(encoding="utf-8", errors="replace"))


def cpu_seconds(pid: int) -> tuple[float, float] | None:
    """(user, system) CPU seconds of a process and its live child processes (Linux /proc), else None."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    user = system = 0.0
    found = False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # the process or one of its workers
            user += int(fields[11]) / tick
            system += int(fields[12]) / tick
            found = True
    return (user, system) if found else None


def stored_markers(folder: Path, repo: Path) -> list[str]:
    script = ("import sys; from survey.store import read_responses; f = read_responses(sys.argv[1]); "
              "print('\\n'.join(v for c in f.columns if c not in ('resp_id', 'modus') "
              "for v in f[c] if isinstance(v, str) and v.startswith('bench-')))")
    out = subprocess.run([sys.executable, "-c", script, str(folder)], cwd=repo, env=run_env(repo),
                         capture_output=True, text=True, check=True).stdout
    markers = set()
    for line in out.splitlines():
        markers.add(line)  # one questionnaire has the same marker in all its text fields
    return sorted(markers)


def _german(number: float, digits: int = 1) -> str:
    return f"{number:.{digits}f}".replace(".", ",")


def run(args: argparse.Namespace) -> int:
    repo = Path(args.repo).resolve() if args.repo else REPO
    with tempfile.TemporaryDirectory(prefix="bench-web-") as temp:
        folder = Path(temp) / "benchstadt"
        codes = prepare(folder, args.clients * args.per_client, repo)
        port = free_port()
        log_path = Path(temp) / "server.log"
        log_file = open(log_path, "wb")  # a file, not a pipe: a full pipe would block the server
        command = [sys.executable, "-m", "survey", "serve", str(folder), "--port", str(port), "--unsichere-cookies",
                   "--threads", str(args.threads)]
        if args.processes is not None:
            command += ["--prozesse", str(args.processes)]
        server = subprocess.Popen(
            command,
            cwd=repo, env=run_env(repo), stdout=subprocess.DEVNULL, stderr=log_file,
        )
        acknowledged: list[str] = []
        errors: list[str] = []
        latencies: list[float] = []
        submits: list[float] = []
        requests = [0]
        lock = threading.Lock()
        deadline = time.monotonic() + args.max_seconds
        killed = False
        try:
            wait_for_port(port, 30, server, log_path)
            cpu_before = cpu_seconds(server.pid)

            def worker(index: int) -> None:
                client = Client(port, timeout=30)
                own: list[float] = []
                own_submits: list[float] = []
                for number in range(args.per_client):
                    if time.monotonic() > deadline:
                        break
                    marker = f"bench-{index}-{number}"
                    try:
                        if answer_one(client, codes[index * args.per_client + number], marker, own, own_submits):
                            with lock:
                                acknowledged.append(marker)
                    except (OSError, http.client.HTTPException, RuntimeError, KeyError) as error:
                        with lock:
                            errors.append(f"{type(error).__name__}: {error} ({getattr(client, 'last', '')})")
                        break
                with lock:
                    latencies.extend(own)
                    submits.extend(own_submits)
                    requests[0] += client.requests

            threads = [threading.Thread(target=worker, args=(index,), daemon=True) for index in range(args.clients)]
            client_cpu = time.process_time()
            start = time.monotonic()
            for thread in threads:
                thread.start()
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
            client_cpu = time.process_time() - client_cpu
            cpu_after = cpu_seconds(server.pid) if not killed else None
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log_file.close()
        markers = stored_markers(folder, repo)
        missing = sorted(set(acknowledged) - set(markers))
        done = len(acknowledged)
        print(f"Clients: {args.clients}, Fragebögen je Client: {args.per_client}, Server-Threads: {args.threads}"
              + (f", Prozesse: {args.processes}" if args.processes else "")
              + (f", Server aus {repo}" if args.repo else ""))
        print(f"Bestätigte Abgaben: {done} in {_german(elapsed)} s = {_german(done / elapsed)} Abgaben/s"
              + (f" (Rechnerlast danach: {_german(load, 2)} bei {os.cpu_count()} Kernen)" if load is not None else ""))
        if latencies:
            ordered = sorted(latencies)
            p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
            print(f"Seitenlatenz (Antworten abschicken bis nächste Seite): Median "
                  f"{_german(statistics.median(ordered) * 1000, 0)} ms, 95 % {_german(p95 * 1000, 0)} ms, "
                  f"Maximum {_german(ordered[-1] * 1000, 0)} ms ({len(ordered)} Seiten)")
        if submits:
            ordered = sorted(submits)
            p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
            print(f"  davon Abgabe (bis Dankeseite): Median {_german(statistics.median(ordered) * 1000, 0)} ms, "
                  f"95 % {_german(p95 * 1000, 0)} ms")
        if done:
            line = f"Anfragen je Fragebogen: {_german(requests[0] / max(1, done + len(errors)))}"
            if cpu_before is not None and cpu_after is not None:
                user, system = (cpu_after[i] - cpu_before[i] for i in (0, 1))
                line += (f"; Server-CPU je Fragebogen: {_german((user + system) / done * 1000)} ms "
                         f"(davon Betriebssystem {_german(system / done * 1000)} ms)")
            line += f"; Client-CPU je Fragebogen: {_german(client_cpu / done * 1000)} ms"
            print(line)
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
        if not killed and (len(markers) != done or errors):
            print("FEHLER: gespeichert ≠ bestätigt")
            return 1
        if killed:
            extra = len(markers) - done
            print(f"OK: alle {done} bestätigten Abgaben sind nach SIGKILL im Speicher "
                  f"({extra} {'weitere war' if extra == 1 else 'weitere waren'} gespeichert, aber noch nicht bestätigt).")
        else:
            print("OK: gespeichert = bestätigt")
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (per process)")
    parser.add_argument("--processes", type=int, default=None, help="serve --prozesse (default: the server's)")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="stop starting new questionnaires after this")
    parser.add_argument("--kill-after", type=float, default=None,
                        help="SIGKILL the server after this many seconds (not before the first acknowledgement)")
    parser.add_argument("--repo", default=None, help="run the server from this checkout (comparison)")
    args = parser.parse_args()
    if not (1 <= args.clients <= 200 and 1 <= args.per_client <= 20 and args.max_seconds <= 600):
        raise SystemExit("Grenzen: 1-200 Clients, 1-20 Fragebögen je Client, höchstens 600 s.")
    raise SystemExit(run(args))


if __name__ == "__main__":
    main()
