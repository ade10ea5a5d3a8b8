"""Security headers on every response: a strict Content-Security-Policy for the pages.

Pages load scripts and styles from ``/static`` only (no inline script, no CDN), so the policy
can forbid everything else. The interactive API documentation (``/docs``, ``/redoc``) loads
FastAPI's Swagger and ReDoc bundles from their CDN and is left without the policy.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
UNGUARDED = ("/docs", "/redoc")
HSTS = b"max-age=31536000"


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers without buffering streamed responses."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        # Only behind https (SEPEDA_PUBLIC_URL): told over http, a browser would be stuck.
        self.common = COMMON + ([(b"strict-transport-security", HSTS)] if hsts else [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNGUARDED):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in self.common if n not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
