"""Login throttling that every web process shares: the audit log is its memory.

Every failed login is already an audit row (``login_failed``, the normalised name, the
address), and every success one too (``login``). Counting those rows in the window, rather
than keeping counters in one process, makes the limits hold across ``serve --workers N`` and
across machines sharing one database, and a restart does not forget a guesser.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from archive.models import AuditEvent
from archive.timeutil import utcnow

# How long an address the account signed in from stays "known" to the throttle.
KNOWN_ADDRESS_DAYS = 90


class LoginThrottle:
    """Failed logins within a sliding window: per account from one address, per address, and
    per account from everywhere with a far wider limit.

    Keyed by account *and* address, someone guessing from elsewhere cannot lock a user out of
    their own office, and a success from an address clears that address's count for the
    account. The per-account limit caps guessing spread over many addresses; an address the
    account signed in from before (within `KNOWN_ADDRESS_DAYS`) is not held by it, so even a
    guesser with many addresses cannot keep the user out of their own office.
    """

    def __init__(self, max_failures: int, window_seconds: int):
        self.max_failures = max_failures
        self.window = window_seconds

    async def retry_after(self, username: str, ip: str | None) -> int:
        """Seconds to wait before another attempt is allowed, 0 when allowed now."""
        now = utcnow()
        since = now - timedelta(seconds=self.window)
        failed = AuditEvent.filter(action="login_failed", at__gte=since)
        # The per-address limit is wider, so one office behind a single NAT address is not
        # locked out by one person's typos.
        own_since = since
        if ip:
            last_ok = (
                await AuditEvent.filter(action="login", actor=username, ip=ip, at__gte=since)
                .order_by("-id")
                .first()
            )
            if last_ok is not None:
                own_since = max(since, last_ok.at)
        checks = [(failed.filter(actor=username, ip=ip, at__gt=own_since), self.max_failures)]
        if not await self._known_address(username, ip, now):
            checks.append((failed.filter(actor=username), self.max_failures * 20))
        if ip:
            checks.append((failed.filter(ip=ip), self.max_failures * 4))
        wait = 0.0
        for query, limit in checks:
            # The limit-th newest failure: once it leaves the window, fewer than the limit
            # remain and the next attempt is allowed.
            edge = await query.order_by("-id").offset(limit - 1).first()
            if edge is not None:
                wait = max(wait, self.window - (now - edge.at).total_seconds())
        return int(wait) + 1 if wait > 0 else 0

    async def _known_address(self, username: str, ip: str | None, now: datetime) -> bool:
        if not ip:
            return False
        since = now - timedelta(days=KNOWN_ADDRESS_DAYS)
        return await AuditEvent.exists(action="login", actor=username, ip=ip, at__gte=since)
