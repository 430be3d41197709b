"""The answers to "Hjälpte sidan dig?".

The question sits on cached, cookie-free content pages, so its form carries no CSRF token:
``vote`` is exempt from Django's CSRF check and instead accepts only a same-origin POST, as
browsers declare it in ``Sec-Fetch-Site`` and ``Origin`` (or, from an older browser, the
``Referer``). A cross-site form or script gets 403. What a forged vote could do is add one
anonymous yes or no, and the rate limit bounds that. The text box after "Nej" is on its own
page with an ordinary CSRF-protected form.
"""

import contextlib
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.ratelimit import is_ratelimited
from pagecache import cache_public_page
from pages.models import Page

from . import services
from .forms import ANSWERS, CommentForm


def _page(slug: str) -> Page:
    # Only pages the site shows have the question.
    return get_object_or_404(Page.objects.shown(), slug=slug)


def _same_origin(request) -> bool:
    """Every origin header the browser sent names this site, and it sent at least one."""
    own = f"{request.scheme}://{request.get_host()}"
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    referer = request.headers.get("Referer")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    if origin is not None and origin != own:
        return False
    if origin is None and referer is not None:
        parts = urlsplit(referer)
        if f"{parts.scheme}://{parts.netloc}" != own:
            return False
    return any(value is not None for value in (fetch_site, origin, referer))


def _rate_limited(request) -> bool:
    # When the counters cannot be read (the cache is down), this fails closed like the
    # signup: common.ratelimit raises and the visitor gets the 503 page, "nothing was saved".
    return is_ratelimited(
        request,
        group="feedback",
        key="ip",
        rate=settings.FEEDBACK_RATE_PER_IP,
        method="POST",
        increment=True,
    )


def _refused(request, status: int, template: str, context=None):
    response = render(request, template, context or {}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@never_cache
@require_POST
def vote(request, slug: str):
    if not _same_origin(request):
        return _refused(request, 403, "403_csrf.html")
    page = _page(slug)
    helpful = ANSWERS.get(request.POST.get("svar", ""))
    if helpful is None:
        return _refused(request, 400, "feedback/no_answer.html", {"page": page})
    if _rate_limited(request):
        return _refused(request, 429, "feedback/limited.html", {"page": page})
    feedback = services.feedback_record(page=page, helpful=helpful)
    if helpful:
        return redirect("feedback:thanks", slug=page.slug)
    token = services.feedback_comment_token(feedback=feedback)
    return redirect("feedback:comment", token=token)


@cache_public_page
@require_safe
def thanks(request, slug: str):
    return render(request, "feedback/thanks.html", {"page": _page(slug)})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def comment(request, token: str):
    try:
        feedback = services.feedback_for_token(token=token)
    except services.TokenInvalid:
        return _refused(request, 404, "feedback/invalid_link.html")
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request):
            return _refused(request, 429, "feedback/limited.html", {"page": feedback.page})
        # Sent twice: the first one counts, and the visitor is thanked either way.
        with contextlib.suppress(services.TokenInvalid):
            services.feedback_add_comment(token=token, comment=form.cleaned_data["kommentar"])
        return redirect("feedback:thanks", slug=feedback.page.slug)
    return render(request, "feedback/comment.html", {"form": form, "page": feedback.page})
