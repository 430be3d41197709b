"""Responses that do a little work after they have been sent, through public API only."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse, HttpResponseRedirect


class ThenRun:
    """Mixin for a response that runs `after` once the server has sent it to the browser.

    The server calls close() on the response when the last byte is out (PEP 3333 for WSGI,
    and Django's ASGI handler does the same; Django documents HttpResponse.close() as
    called by the server at the end of the request), so the time the answer takes does not
    depend on the work. The work runs before Django's own close(), whose request_finished
    signal closes the database connection the work may have used. `after` must not raise:
    nobody is left to tell.
    """

    after: Callable[[], None] | None = None

    def close(self) -> None:
        after, self.after = self.after, None  # once, even if a server calls close() twice
        try:
            if after is not None:
                after()
        finally:
            super().close()


class RedirectThenRun(ThenRun, HttpResponseRedirect):
    """A redirect that runs `after` once it has been sent."""

    def __init__(self, redirect_to: str, *, after: Callable[[], None], **kwargs):
        super().__init__(redirect_to, **kwargs)
        self.after = after


class PageThenRun(ThenRun, HttpResponse):
    """A page (already rendered content) that runs `after` once it has been sent."""

    def __init__(self, content: str | bytes, *, after: Callable[[], None], **kwargs):
        super().__init__(content, **kwargs)
        self.after = after
