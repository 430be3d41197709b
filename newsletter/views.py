from functools import partial

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.clientip import client_ip
from common.ratelimit import is_ratelimited
from common.responses import PageThenRun, RedirectThenRun
from pagecache import cache_public_page
from pages.models import Page
from pages.publication import page_for_visitors, untranslated_response

from . import addresses, services
from .addresses import address_hash
from .forms import SignupForm
from .models import Issue


def _text_version(page: Page) -> str:
    # The configured version plus the date the editors last changed the page text.
    return f"{settings.NEWSLETTER_SIGNUP_TEXT_VERSION}/{page.updated_on.isoformat()}"[:40]


def _rate_limited(request, address: str) -> bool:
    """True when any of the four signup limits is reached; the visitor is not told which.

    The visitor's own counters (IP, mailbox) always move. The shared ones (recipient
    domain, everything) move only for attempts within the visitor's own limits, so one
    visitor hammering the form cannot use up everyone else's allowance.
    """
    mailbox = addresses.mailbox_key(address)
    by_ip = is_ratelimited(
        request,
        group="newsletter.signup.ip",
        key="ip",
        rate=settings.NEWSLETTER_RATE_PER_IP,
        method="POST",
        increment=True,
    )
    by_mailbox = is_ratelimited(
        request,
        group="newsletter.signup.address",
        key=lambda _group, _request: address_hash(mailbox),
        rate=settings.NEWSLETTER_RATE_PER_ADDRESS,
        method="POST",
        increment=True,
    )
    shared = not (by_ip or by_mailbox)
    by_domain = is_ratelimited(
        request,
        group="newsletter.signup.domain",
        key=lambda _group, _request: addresses.domain_of(address),
        rate=settings.NEWSLETTER_RATE_PER_DOMAIN,
        method="POST",
        increment=shared,
    )
    in_total = is_ratelimited(
        request,
        group="newsletter.signup.total",
        key=lambda _group, _request: "all",
        rate=settings.NEWSLETTER_RATE_TOTAL,
        method="POST",
        increment=shared,
    )
    return not shared or by_domain or in_total


@cache_public_page
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    page = page_for_visitors(request, Page.NEWSLETTER)
    if page.untranslated:
        return untranslated_response(request, page)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not form.suggestion:
        address = form.cleaned_data["email"]
        allowed = not form.is_bot and not _rate_limited(request, address)
        # One write whatever happened: new, pending, confirmed, unsubscribed, erased,
        # bounced, rate-limited or a bot; the same answer too. What it means is worked
        # out, and any mail sent, once the answer is out.
        request_id = services.signup_request_record(
            email=address, text_version=_text_version(page), allowed=allowed
        )
        return RedirectThenRun(
            resolve_url("newsletter:thanks"),
            after=partial(services.signup_requests_process_quietly, [request_id]),
        )
    return render(
        request,
        "newsletter/signup.html",
        {
            "page": page,
            "form": form,
            "next_issue": Issue.objects.next_issue_date(),
            "suggestion": form.suggestion,
            "typed": addresses.display(form.cleaned_data["email"]) if form.suggestion else "",
        },
    )


@cache_public_page
@require_safe
def thanks(request):
    return render(
        request,
        "newsletter/thanks.html",
        {
            "contact_email": settings.NEWSLETTER_CONTACT_EMAIL,
            "resend_minutes": int(settings.NEWSLETTER_RESEND_AFTER.total_seconds() // 60),
        },
    )


def _token_page(request, template, context=None, status=200, referrer="no-referrer", after=None):
    """A page reached through a mail link: not indexed, not cached, no referrer sent on.

    A page holding a CSRF-protected form gets "same-origin" instead of "no-referrer":
    under "no-referrer" browsers send `Origin: null` with the form's POST and Django's
    CSRF check rightly refuses it (tested in Chromium). "same-origin" still sends nothing
    to any other site (quick exit, external links); the URL reaches only this site,
    which does not log referrers. `after` runs once the page has been sent.
    """
    if after is None:
        response = render(request, template, context or {}, status=status)
    else:
        content = render_to_string(template, context or {}, request)
        response = PageThenRun(content, after=after, status=status)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = referrer
    return response


def _invalid(request):
    return _token_page(request, "newsletter/invalid_link.html", status=404)


def _subscribed(request, subscriber, *, already: bool, after=None):
    """The page saying "Du prenumererar nu" (or "redan"), with the leave link at once."""
    token = addresses.unsubscribe_token(subscriber.pk, subscriber.unsubscribe_key)
    return _token_page(
        request,
        "newsletter/subscribed.html",
        {"already": already, "unsubscribe_token": token},
        after=after,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    if request.method == "POST":
        try:
            confirmation = services.subscriber_confirm(token=token, ip=client_ip(request))
        except services.AlreadySubscribed as already:
            return _subscribed(request, already.subscriber, already=True)
        except services.TokenInvalid:
            return _invalid(request)
        # Rendered, not redirected: a reload posts again and says "Du prenumererar redan".
        # The welcome mail leaves once the page is out.
        return _subscribed(
            request,
            confirmation.subscriber,
            already=False,
            after=partial(services.outbox_deliver_quietly, confirmation.outbox_ids),
        )
    # A GET changes nothing: mail scanners open links.
    try:
        services.subscriber_for_confirm_token(token=token)
    except services.AlreadySubscribed as already:
        return _subscribed(request, already.subscriber, already=True)
    except services.TokenInvalid:
        return _invalid(request)
    return _token_page(request, "newsletter/confirm.html", {"token": token}, referrer="same-origin")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """The link in the mail's body: a page with one button, then an undo."""
    if request.method == "POST":
        try:
            subscriber = services.subscriber_unsubscribe(token=token)
        except services.TokenInvalid:
            return _invalid(request)
        return _token_page(
            request,
            "newsletter/unsubscribed.html",
            {"token": token, "can_undo": subscriber.confirmed_at is not None},
            referrer="same-origin",
        )
    try:
        subscriber = services.subscriber_for_unsubscribe_token(token=token)
    except services.TokenInvalid:
        return _invalid(request)
    return _token_page(
        request,
        "newsletter/unsubscribe.html",
        {"token": token, "already_left": subscriber.state != subscriber.State.CONFIRMED},
        referrer="same-origin",
    )


# CSRF-exempt (one of the two exemptions tests/security/test_csrf.py allows): RFC 8058
# one-click unsubscribe is a POST from the mail provider's servers, with no cookie and no
# CSRF token. The signed token in the URL is
# what authorises it, and all it can do is take its own subscriber off the list.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_one_click(request, token: str):
    if request.method != "POST":
        # Some mail programs open the List-Unsubscribe URL in a browser: show the page
        # with the button, change nothing.
        try:
            services.subscriber_for_unsubscribe_token(token=token)
        except services.TokenInvalid:
            return _invalid(request)
        return _no_referrer(redirect("newsletter:unsubscribe", token=token))
    try:
        services.subscriber_unsubscribe(token=token)
    except services.TokenInvalid:
        return _invalid(request)
    return _no_referrer(HttpResponse("OK\n", content_type="text/plain; charset=utf-8"))


def _no_referrer(response):
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_POST
def resubscribe(request, token: str):
    """Undo a leave, from the page shown right after it."""
    try:
        services.subscriber_resubscribe(token=token)
    except services.TokenInvalid:
        return _invalid(request)
    return _token_page(request, "newsletter/resubscribed.html")


@cache_public_page
@require_safe
def archive(request):
    issues = (
        Issue.objects.published()
        .order_by("-number")
        .only("number", "subject", "started_at", "send_at")
    )
    return render(request, "newsletter/archive.html", {"issues": issues})


@cache_public_page
@require_safe
def issue_detail(request, number: int):
    issue = get_object_or_404(Issue.objects.published(), number=number)
    return render(request, "newsletter/issue_detail.html", {"issue": issue})
