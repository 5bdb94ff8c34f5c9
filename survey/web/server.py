"""Run the web questionnaire with waitress (``sicherheitsanalyse serve``).

Connection settings (``WAITRESS_SETTINGS``), chosen so that idle or slow connections cannot block
the server (``docs/betrieb.md``):

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
sealed to the store, checkpoint and close it (the ``-wal`` and ``-shm`` files disappear).
"""

from __future__ import annotations

import ipaddress
import signal
from pathlib import Path

from survey.errors import ConfigError
from survey.store import folder_lock
from survey.web.app import MAX_BODY_BYTES, MIN_COACH_PASSWORD, create_app
from survey.web.drafts import IdleFlusher
from survey.web.security import quiet_logging

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_THREADS = 8

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


def waitress_settings(host: str, port: int, threads: int, proxy: str | None) -> dict:
    settings = {**WAITRESS_SETTINGS, "host": host, "port": port, "threads": threads}
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


def serve(folder: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          coach_password: str | None = None, secure_cookies: bool | None = None,
          threads: int = DEFAULT_THREADS, proxy: str | None = None, announce=print) -> None:
    """Serve the questionnaire of ``folder`` until interrupted (SIGTERM, Ctrl+C).

    ``secure_cookies`` None means: secure (HTTPS-only) cookies if a trusted ``proxy`` is given or the
    server listens on a non-loopback address; plain cookies only for http on this machine.
    """
    from waitress import create_server

    check_coach_password(coach_password)
    check_proxy(proxy)
    if secure_cookies is None:
        secure_cookies = proxy is not None or not is_loopback(host)
    with folder_lock(folder):
        app = create_app(folder, coach_password=coach_password, secure_cookies=secure_cookies)
        survey = app.extensions["survey"]
        quiet_logging()
        raise_open_file_limit()
        server = create_server(app, **waitress_settings(host, port, threads, proxy))
        flusher = IdleFlusher(survey.drafts)
        flusher.start()
        shown_host = f"[{host}]" if ":" in host else host
        announce(f"Befragung läuft auf http://{shown_host}:{port}/ (Coach-Bereich: /coach/). Beenden mit Strg+C.")
        if not secure_cookies:
            announce("Hinweis: Cookies ohne Secure-Flag (nur für http auf diesem Rechner geeignet).")
        else:
            announce("Hinweis: Cookies werden nur über HTTPS gesendet; den Server hinter einem HTTPS-Proxy betreiben.")
        if proxy is not None:
            announce(f"Client-Adressen für die Fehlversuch-Grenzen aus X-Forwarded-For des Proxys {proxy}.")

        def _terminate(signum, frame):  # noqa: ANN001
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            server.run()  # returns after SIGTERM/Ctrl+C, once running requests have finished
        finally:
            signal.signal(signal.SIGTERM, previous)
            flusher.stop()
            saved = survey.drafts.flush_all()
            survey.store.close()
        word = "Zwischenstand" if saved == 1 else "Zwischenstände"
        announce(f"Befragung beendet; {saved} offene {word} verschlüsselt gespeichert.")
