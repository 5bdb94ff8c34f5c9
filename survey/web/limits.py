"""Limits on wrong access codes and coach passwords that protect without locking anyone else out.

Everything here lives in server memory only: no counter is written to disk, logged, or put into a
client's cookie, and a client is forgotten once its window has passed. A client is its IPv4 address
or its IPv6 /64 prefix (one connection or household), kept only as a keyed hash.

* :class:`ClientLimiter` — per client: after ``max_failures`` wrong attempts within ``window``
  seconds, that client waits until the oldest failure leaves the window. A correct code does not
  reset the count (else one valid code would allow unlimited guessing).
* :class:`GlobalGate` — all clients together: while more than ``free_failures`` wrong attempts
  happened within ``window`` seconds, every further check (right or wrong) waits for its turn, at most
  ``slow_rate`` per second. Clients with fewer failures of their own go first, so citizens with a
  valid code are slowed by a fraction of a second, not blocked; at most ``max_waiting`` requests wait
  (they hold server threads), a newcomer with fewer failures takes the place of one with more.

:func:`max_wrong_attempts` is the most wrong attempts an attacker with any number of addresses can
make in a given time; ``docs/datenschutz.md`` turns it into the chance of finding a valid code.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field

UNKNOWN_CLIENT = "unbekannt"


def client_key(address: str | None) -> str:
    """The limit key of a client address: IPv4 as is, IPv6 as its /64 prefix."""
    if not address:
        return UNKNOWN_CLIENT
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return UNKNOWN_CLIENT
    if isinstance(parsed, ipaddress.IPv6Address):
        mapped = parsed.ipv4_mapped
        if mapped is not None:
            return str(mapped)
        return str(ipaddress.IPv6Network((int(parsed) >> 64 << 64, 64)))
    return str(parsed)


class ClientLimiter:
    """Wrong attempts per client within a sliding window (in memory, bounded, self-forgetting)."""

    def __init__(self, max_failures: int = 10, window: float = 900.0, max_clients: int = 100_000,
                 clock=time.monotonic):
        self.max_failures = max_failures
        self.window = window
        self.max_clients = max_clients
        self._clock = clock
        self._secret = secrets.token_bytes(16)
        self._failures: OrderedDict[bytes, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _key(self, client: str) -> bytes:
        return hmac.new(self._secret, client.encode("utf-8"), hashlib.sha256).digest()[:16]

    def _prune(self, now: float) -> None:
        # Clients are ordered by their last failure: drop from the front while expired.
        while self._failures:
            key, times = next(iter(self._failures.items()))
            if times and times[-1] > now - self.window:
                break
            self._failures.popitem(last=False)

    def failures(self, client: str) -> int:
        """Wrong attempts of ``client`` still inside the window."""
        with self._lock:
            now = self._clock()
            self._prune(now)
            times = self._failures.get(self._key(client))
            if not times:
                return 0
            while times and times[0] <= now - self.window:
                times.popleft()
            return len(times)

    def wait_seconds(self, client: str) -> int:
        """Seconds until ``client`` may try again (0 = now)."""
        with self._lock:
            now = self._clock()
            self._prune(now)
            times = self._failures.get(self._key(client))
            if not times:
                return 0
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) < self.max_failures:
                return 0
            return max(1, int(times[0] + self.window - now + 0.999))

    def failure(self, client: str) -> None:
        with self._lock:
            now = self._clock()
            key = self._key(client)
            times = self._failures.pop(key, None) or deque(maxlen=self.max_failures)
            times.append(now)
            self._failures[key] = times  # most recent failure last
            if len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            self._prune(self._clock())
            return len(self._failures)


@dataclass(order=True)
class _Waiter:
    priority: int
    seq: int
    rejected: bool = field(default=False, compare=False)


class GlobalGate:
    """Slows all checks down (to ``slow_rate`` per second) while wrong attempts pile up."""

    def __init__(self, free_failures: int = 300, window: float = 600.0, slow_rate: float = 5.0,
                 max_waiting: int = 4, max_wait: float = 10.0, clock=time.monotonic):
        self.free_failures = free_failures
        self.window = window
        self.slow_rate = slow_rate
        self.max_waiting = max_waiting
        self.max_wait = max_wait
        self._clock = clock
        self._failures: deque[float] = deque()
        self._waiters: list[_Waiter] = []
        self._next_turn = 0.0
        self._seq = 0
        self._pending = 0
        self._cond = threading.Condition()

    def _prune(self, now: float) -> None:
        while self._failures and self._failures[0] <= now - self.window:
            self._failures.popleft()

    @property
    def slowed(self) -> bool:
        with self._cond:
            self._prune(self._clock())
            return len(self._failures) >= self.free_failures

    def admit(self, own_failures: int = 0) -> bool:
        """Wait for this check's turn; False if it cannot be admitted within ``max_wait`` seconds.

        Every admitted check must be followed by :meth:`finish`. Checks in flight count against the
        free budget, so parallel requests cannot slip past it together.
        """
        with self._cond:
            now = self._clock()
            self._prune(now)
            if len(self._failures) + self._pending < self.free_failures:
                self._pending += 1
                return True
            self._seq += 1
            me = _Waiter(own_failures, self._seq)
            if len(self._waiters) >= self.max_waiting:
                worst = max(self._waiters)
                if me >= worst:
                    return False
                worst.rejected = True
                self._waiters.remove(worst)
                self._cond.notify_all()
            self._waiters.append(me)
            deadline = now + self.max_wait
            try:
                while True:
                    now = self._clock()
                    if me.rejected:
                        return False
                    first = min(self._waiters) is me
                    if first and now >= self._next_turn:
                        self._next_turn = now + 1.0 / self.slow_rate
                        self._pending += 1
                        return True
                    if now >= deadline:
                        return False
                    until = min(deadline, self._next_turn) if first else deadline
                    self._cond.wait(timeout=max(0.001, until - now))
            finally:
                if me in self._waiters:
                    self._waiters.remove(me)
                self._cond.notify_all()

    def finish(self, failed: bool) -> None:
        """End an admitted check; ``failed`` if the code (or password) was wrong."""
        with self._cond:
            self._pending = max(0, self._pending - 1)
            if failed:
                now = self._clock()
                self._prune(now)
                self._failures.append(now)


def max_wrong_attempts(seconds: float, gate: GlobalGate) -> float:
    """The most wrong attempts the server lets through in ``seconds``, from any number of clients.

    Outside the slow mode at most ``free_failures`` failures fit into any window; in the slow mode
    checks are admitted at ``slow_rate`` per second. So over a span T there are at most
    (T / window + 1) · free_failures + slow_rate · T wrong attempts.
    """
    return (seconds / gate.window + 1) * gate.free_failures + gate.slow_rate * seconds


def wait_text(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    unit = "Minute" if minutes == 1 else "Minuten"
    return (f"Zu viele Fehlversuche von Ihrem Anschluss. Aus Sicherheitsgründen ist die Eingabe für "
            f"{minutes} {unit} gesperrt. Bitte versuchen Sie es danach erneut.")


BUSY_TEXT = ("Gerade werden sehr viele Zugangscodes geprüft. Bitte versuchen Sie es in einer Minute noch "
             "einmal; Ihr Code bleibt gültig.")
COACH_BUSY_TEXT = ("Gerade werden sehr viele Anmeldungen geprüft. Bitte versuchen Sie es in einer Minute noch "
                   "einmal.")


@dataclass
class Limits:
    """The limiters of one process: access codes and coach passwords are limited separately."""

    codes: ClientLimiter = field(default_factory=ClientLimiter)
    code_gate: GlobalGate = field(default_factory=GlobalGate)
    coach: ClientLimiter = field(default_factory=lambda: ClientLimiter(max_failures=5))
    coach_gate: GlobalGate = field(default_factory=lambda: GlobalGate(free_failures=50, slow_rate=1.0,
                                                                      max_waiting=2))

    @classmethod
    def for_processes(cls, processes: int, threads: int) -> "Limits":
        """The limits of one of ``processes`` worker processes with ``threads`` threads each.

        Each process gets an equal share of the global budgets, so together they never let more
        wrong attempts through than one process with the full budget (the bound of
        :func:`max_wrong_attempts` holds for the whole server). At most half of a process's threads
        wait in a gate.
        """
        waiting = max(1, threads // 2)
        base = GlobalGate()
        coach = GlobalGate(free_failures=50, slow_rate=1.0)
        return cls(
            code_gate=GlobalGate(free_failures=max(1, base.free_failures // processes), window=base.window,
                                 slow_rate=base.slow_rate / processes, max_waiting=waiting),
            coach_gate=GlobalGate(free_failures=max(1, coach.free_failures // processes), window=coach.window,
                                  slow_rate=coach.slow_rate / processes, max_waiting=max(1, waiting // 2)),
        )
