"""Run the web questionnaire with waitress (``sicherheitsanalyse serve``).

Processes: one Python process serves at most about 50 questionnaires per second here (the GIL), so
on Linux the server forks ``--prozesse`` worker processes (default: the number of CPUs, at most 4),
each listening on the same port (``SO_REUSEPORT``: the kernel spreads connections evenly). They share the store (SQLite serialises
writers) and a RAM state for drafts and coach sessions (:mod:`survey.web.volatile`); each keeps its
own wrong-attempt counters with an equal share of the global budget (:meth:`Limits.for_processes`).
The supervising process restarts a worker that dies, writes idle drafts to the store every 30 s,
and at shutdown writes the rest. A worker dies with its supervisor (``PR_SET_PDEATHSIG``), so
``kill -9`` of the supervisor stops the whole server, as a crash would.

Connection settings (``WAITRESS_SETTINGS``, per process), chosen so that idle or slow connections
cannot block the server (``docs/betrieb.md``):

* waitress reads each request completely in its I/O thread before a worker thread sees it, so slow
  clients hold only a socket, never a thread;
* ``connection_limit`` 1000 (waitress default 100) with ``poll()`` instead of ``select()`` (no
  1024-descriptor ceiling) and the open-file limit raised to fit;
* ``channel_timeout`` 30 s (default 120 s), checked every 10 s: an idle connection is closed after
  at most 40 s, and a browser simply opens a new one;
* request headers at most 16 KiB, bodies at most 256 KiB — below ``inbuf_overflow``, so waitress
  never spools a request (answers) into a temporary file on disk;
* no access log, no ``Server`` header, no tracebacks to clients; forwarded headers are only honoured
  from a proxy configured as trusted (``--proxy``), and then only ``X-Forwarded-For`` (the client
  address for the limits) and ``X-Forwarded-Proto``.

Shutdown (SIGTERM or Ctrl+C): stop accepting, let running requests finish, write unsaved drafts
sealed to the store, checkpoint and close it (the ``-wal`` and ``-shm`` files disappear), delete
the RAM state.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import sys
import time
from pathlib import Path

from survey.errors import ConfigError
from survey.store import STORE_NAME, AnswerStore, folder_lock
from survey.web.app import MAX_BODY_BYTES, MIN_COACH_PASSWORD, create_app
from survey.web.drafts import DraftCache, IdleFlusher
from survey.web.limits import Limits
from survey.web.security import quiet_logging
from survey.web.volatile import VolatileState

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_THREADS = 8
MAX_PROCESSES = 16
FLUSH_SECONDS = 30.0
STOP_SECONDS = 30.0
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}

WAITRESS_SETTINGS = {
    "connection_limit": 1000,
    "channel_timeout": 30,
    "cleanup_interval": 10,
    "asyncore_use_poll": True,
    "backlog": 2048,
    "max_request_header_size": 16 * 1024,
    "max_request_body_size": MAX_BODY_BYTES,
    "inbuf_overflow": 512 * 1024,
    "ident": "",
    "expose_tracebacks": False,
    "clear_untrusted_proxy_headers": True,
    "log_socket_errors": False,
}


def can_fork() -> bool:
    return hasattr(os, "fork")


def default_processes() -> int:
    return max(1, min(4, os.cpu_count() or 1)) if can_fork() and can_share_port() else 1


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_coach_password(password: str | None) -> None:
    if password is not None and len(password) < MIN_COACH_PASSWORD:
        raise ConfigError(
            f"Das Coach-Passwort ist zu kurz ({len(password)} Zeichen); bitte mindestens "
            f"{MIN_COACH_PASSWORD} Zeichen verwenden."
        )


def check_proxy(proxy: str | None) -> None:
    if proxy is None:
        return
    try:
        ipaddress.ip_address(proxy)
    except ValueError:
        raise ConfigError(f"--proxy {proxy!r} ist keine IP-Adresse (z. B. 127.0.0.1 für einen Proxy auf "
                          "demselben Rechner).") from None


def waitress_settings(threads: int, proxy: str | None) -> dict:
    settings = {**WAITRESS_SETTINGS, "threads": threads}
    if proxy is not None:
        settings.update(trusted_proxy=proxy, trusted_proxy_count=1,
                        trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"})
    return settings


def raise_open_file_limit(wanted: int = WAITRESS_SETTINGS["connection_limit"] + 256) -> None:
    try:
        import resource
    except ImportError:  # not on POSIX
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _bound_socket(host: str, port: int, share: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        address = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)[0][4]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if share:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError as error:
        raise ConfigError(f"Der Server kann nicht auf {host}:{port} lauschen ({error.strerror or error}).") from None
    return sock


def listen(host: str, port: int, share: bool = False) -> socket.socket:
    """A listening socket. With ``share`` (worker processes), every worker opens its own on the same
    port (``SO_REUSEPORT``), so the kernel spreads new connections evenly over the workers; a socket
    shared by all of them would leave most keep-alive connections with whichever worker woke first."""
    sock = _bound_socket(host, port, share)
    sock.listen(WAITRESS_SETTINGS["backlog"])
    sock.setblocking(False)
    return sock


def can_share_port() -> bool:
    return hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux")


def _die_with_parent(parent: int) -> None:
    """Linux: this process gets SIGKILL when its supervisor dies (else: a watchdog would be needed)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _raise_interrupt(signum, frame):  # noqa: ANN001
    raise KeyboardInterrupt


def _run_worker(app, sock: socket.socket, settings: dict) -> None:
    """Serve until SIGTERM/SIGINT; running requests finish (up to 5 s)."""
    from waitress import create_server

    server = create_server(app, sockets=[sock], **settings)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    server.run()  # returns after SIGTERM/Ctrl+C, once running requests have finished


class _Supervisor:
    """Forks the workers, restarts dead ones, flushes idle drafts; stops them on SIGTERM/SIGINT."""

    def __init__(self, app, address: tuple[str, int], settings, processes: int, folder: Path,
                 state: VolatileState, announce):
        self.app, self.address, self.settings = app, address, settings
        self.processes, self.folder, self.state, self.announce = processes, folder, state, announce
        self.children: dict[int, int] = {}
        self.stopping = False
        self.kill_at = 0.0

    def _spawn(self, index: int) -> None:
        parent = os.getpid()
        # Signals wait until the new worker has its own handlers (else it would run the supervisor's).
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.signal(signal.SIGTERM, _raise_interrupt)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
                _die_with_parent(parent)
                _run_worker(self.app, listen(*self.address, share=True), self.settings)
            except BaseException:  # noqa: BLE001 - a worker must never return into the supervisor's code
                code = 1
            finally:
                sys.stdout.flush()
                os._exit(code)
        self.children[pid] = index
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)

    def _stop(self, signum, frame) -> None:  # noqa: ANN001
        if not self.stopping:
            self.stopping = True
            self.kill_at = time.monotonic() + STOP_SECONDS
        self._signal_children(signal.SIGTERM)

    def _signal_children(self, signum: int) -> None:
        for pid in list(self.children):
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    def run(self) -> None:
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for index in range(self.processes):
                self._spawn(index)
            next_flush = time.monotonic() + FLUSH_SECONDS
            while self.children:
                try:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid:
                    index = self.children.pop(pid)
                    if not self.stopping:
                        self.announce(f"Hinweis: Arbeitsprozess {index + 1} wurde unerwartet beendet und wird neu "
                                      "gestartet.")
                        self._spawn(index)
                    continue
                time.sleep(0.2)
                if self.stopping and time.monotonic() >= self.kill_at:
                    self._signal_children(signal.SIGKILL)  # a worker that does not stop in time
                if not self.stopping and time.monotonic() >= next_flush:
                    _flush(self.folder, self.state, idle_only=True)
                    next_flush = time.monotonic() + FLUSH_SECONDS
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _flush(folder: Path, state: VolatileState, idle_only: bool) -> int:
    """Write drafts from the RAM state to the store (with connections of their own, closed after)."""
    store = AnswerStore(Path(folder) / STORE_NAME)
    try:
        cache = DraftCache(store, state)
        return cache.flush_idle() if idle_only else cache.flush_all()
    finally:
        store.close()
        state.close()


def serve(folder: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          coach_password: str | None = None, secure_cookies: bool | None = None,
          threads: int = DEFAULT_THREADS, proxy: str | None = None, processes: int | None = None,
          announce=print) -> None:
    """Serve the questionnaire of ``folder`` until interrupted (SIGTERM, Ctrl+C).

    ``secure_cookies`` None means: secure (HTTPS-only) cookies if a trusted ``proxy`` is given or the
    server listens on a non-loopback address; plain cookies only for http on this machine.
    ``processes`` None means :func:`default_processes`.
    """
    check_coach_password(coach_password)
    check_proxy(proxy)
    processes = default_processes() if processes is None else processes
    if not 1 <= processes <= MAX_PROCESSES:
        raise ConfigError(f"--prozesse {processes} ungültig: erlaubt sind 1 bis {MAX_PROCESSES}.")
    if processes > 1 and not (can_fork() and can_share_port()):
        announce("Hinweis: Auf diesem Betriebssystem läuft der Server mit einem Prozess.")
        processes = 1
    if secure_cookies is None:
        secure_cookies = proxy is not None or not is_loopback(host)
    folder = Path(folder)
    with folder_lock(folder):
        state = VolatileState.create()
        try:
            app = create_app(folder, coach_password=coach_password, secure_cookies=secure_cookies, state=state,
                             limits=Limits.for_processes(processes, threads))
            survey = app.extensions["survey"]
            survey.store.close()  # each worker opens its own connection
            quiet_logging()
            raise_open_file_limit()
            share = processes > 1
            # Multi-process: this socket only holds the port (bound, not listening); each worker listens
            # on its own. One process: it is the listening socket.
            sock = _bound_socket(host, port, share) if share else listen(host, port)
            shown_host = f"[{host}]" if ":" in host else host
            announce(f"Befragung läuft auf http://{shown_host}:{port}/ (Coach-Bereich: /coach/). Beenden mit Strg+C.")
            if not secure_cookies:
                announce("Hinweis: Cookies ohne Secure-Flag (nur für http auf diesem Rechner geeignet).")
            else:
                announce("Hinweis: Cookies werden nur über HTTPS gesendet; den Server hinter einem HTTPS-Proxy "
                         "betreiben.")
            if proxy is not None:
                announce(f"Client-Adressen für die Fehlversuch-Grenzen aus X-Forwarded-For des Proxys {proxy}.")
            settings = waitress_settings(threads, proxy)
            try:
                if processes == 1:
                    flusher = IdleFlusher(survey.drafts)
                    flusher.start()
                    previous = signal.getsignal(signal.SIGTERM)
                    try:
                        _run_worker(app, sock, settings)
                    finally:
                        signal.signal(signal.SIGTERM, previous)
                        flusher.stop()
                        survey.store.close()
                else:
                    _Supervisor(app, (host, port), settings, processes, folder, state, announce).run()
            finally:
                sock.close()
            saved = _flush(folder, state, idle_only=False)
        finally:
            state.remove()
    word = "Zwischenstand" if saved == 1 else "Zwischenstände"
    announce(f"Befragung beendet; {saved} offene {word} verschlüsselt gespeichert.")
