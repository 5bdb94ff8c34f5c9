"""Run the web questionnaire with waitress (``sicherheitsanalyse serve``)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from survey.errors import ConfigError
from survey.web.app import MIN_COACH_PASSWORD, create_app
from survey.web.security import quiet_logging

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


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


def serve(folder: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          coach_password: str | None = None, secure_cookies: bool | None = None, threads: int = 8,
          announce=print) -> None:
    """Serve the questionnaire of ``folder`` until interrupted.

    ``secure_cookies`` None means: secure (HTTPS-only) cookies unless the server listens on loopback
    (local tests, or a TLS proxy on the same machine passes ``True`` explicitly).
    """
    from waitress import serve as waitress_serve

    check_coach_password(coach_password)
    secure = (not is_loopback(host)) if secure_cookies is None else secure_cookies
    app = create_app(folder, coach_password=coach_password, secure_cookies=secure)
    quiet_logging()
    shown_host = f"[{host}]" if ":" in host else host
    announce(f"Befragung läuft auf http://{shown_host}:{port}/ (Coach-Bereich: /coach/). Beenden mit Strg+C.")
    if not secure:
        announce("Hinweis: Cookies ohne Secure-Flag (nur für http auf diesem Rechner geeignet).")
    else:
        announce("Hinweis: Cookies werden nur über HTTPS gesendet; den Server hinter einem HTTPS-Proxy betreiben.")
    # No access log and no client addresses: waitress logs nothing per request by default.
    waitress_serve(app, host=host, port=port, threads=threads, ident="", clear_untrusted_proxy_headers=True,
                   _quiet=True)
