"""Every admin page of every registered model reads as Swedish, for a superuser and a Redaktör.

For each model in the admin: the list, the add form (where adding is allowed) and the change
form of one object (created here when the seed has none), plus its history page. The check
reads the text a person sees, not the HTML source:

- the whole page's visible text (header, breadcrumbs, side menu and <main>) must not contain
  "None", "chars]", an English model or app name, or a known broken phrase;
- the visible text of <main> must not contain "[" (Python lists, shortened history values).
  Only <main>, because "[" is legitimate elsewhere in the source: JSON in data attributes
  and <script> blocks, which are not visible text. The one "[" an editor must see, the
  Markdown link syntax "[text](adress)" in the help text of page bodies, is allowed.

Visible text leaves out <script>, <style>, <template>, attribute values, and the contents
of <textarea> (what editors wrote, not what the admin says).
"""

from __future__ import annotations

import contextlib
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from editors.testing import login_verified, make_staff

pytestmark = pytest.mark.django_db

BROKEN_PHRASES = [
    "1 bekräftade",
    "Tillgängliga regionkoordinator",
    "Välj alla regionkoordinator",
    "Lägg till ytterligare Telefonnummer",
    "Lägg till ytterligare Alternativ",
    "Senaste Händelser",
    "/kontakt/.vcf",
    "/dokument//",
    "#medlem-.",
    "Anledning: None",
]
# Names that are the same word in Swedish, or a name Swedish text uses as it is.
SWEDISH_TOO = {"region", "nmt", "status"}
ALLOWED_BRACKETS = ["[text](adress)"]


class VisibleText(HTMLParser):
    HIDDEN = {"script", "style", "template", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.all: list[str] = []
        self.main: list[str] = []
        self._hidden = 0
        self._main = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "main":
            self._main += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag == "main" and self._main:
            self._main -= 1

    def handle_data(self, data):
        if self._hidden:
            return
        self.all.append(data)
        if self._main:
            self.main.append(data)


def visible(html: str) -> tuple[str, str]:
    parser = VisibleText()
    parser.feed(html)
    squash = lambda parts: " ".join(" ".join(parts).split())  # noqa: E731
    return squash(parser.all), squash(parser.main)


def registered_models() -> list:
    return [model for model in apps.get_models() if admin.site.is_registered(model)]


def _split_camel(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def _ours(module: str) -> bool:
    """Whether a module belongs to this project (named in Swedish in the source)."""
    return (settings.BASE_DIR / module.split(".")[0]).is_dir()


def english_names() -> set[str]:
    """Every English name a page could show for what is in the admin.

    Class names and app labels always; for third-party models and apps (django.contrib.auth,
    django-axes, django-otp) also their English verbose names, as Django would show them
    untranslated. Our own verbose names are Swedish in the source.
    """
    models = set(registered_models())
    for model in registered_models():
        models.update(inline.model for inline in admin.site.get_model_admin(model).inlines)
    models |= {model._meta.concrete_model for model in models}
    names: set[str] = set()
    with translation.override("en"):
        for model in models:
            opts = model._meta
            names |= {model.__name__, _split_camel(model.__name__), opts.app_label.title()}
            if not _ours(model.__module__):
                names |= {str(opts.verbose_name), str(opts.verbose_name_plural)}
            if not _ours(type(opts.app_config).__module__):
                names.add(str(opts.app_config.verbose_name))
    return {n for n in names if n and n.lower() not in SWEDISH_TOO}


def problems(html: str, names: set[str]) -> list[str]:
    text, main = visible(html)
    found = []
    for needle in ("None", "chars]", *BROKEN_PHRASES):
        if needle in text:
            found.append(needle)
    for name in names:
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, flags=re.IGNORECASE):
            found.append(f"English name {name!r}")
    for allowed in ALLOWED_BRACKETS:
        main = main.replace(allowed, "")
    if "[" in main:
        at = main.index("[")
        found.append(f"'[' in {main[max(0, at - 60) : at + 60]!r}")
    return found


def one_of_everything():
    """At least one object of every model, so every change page can be opened."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from helpline.models import Helpline, HoursException
    from newsletter.models import Delivery, Issue, OutboxMessage, Subscriber, Suppression

    now = timezone.now()
    helpline = Helpline.objects.current()
    HoursException.objects.create(
        helpline=helpline, start_date=now.date(), kind=HoursException.CLOSED, note="Konferens"
    )
    subscriber = Subscriber.objects.create(email="lasare@example.se", state="confirmed")
    Subscriber.objects.create(email="ny@example.se", state="pending")
    issue = Issue.objects.create(subject="Nyheter i december", body="Hej!", send_at=now)
    Delivery.objects.create(issue=issue, subscriber=subscriber)
    OutboxMessage.objects.create(
        subscriber=subscriber, kind="confirm", to=subscriber.email, subject="Bekräfta", body="x"
    )
    Suppression.objects.create(address_hash="a" * 64, reason="erased")
    common = {"user_agent": "Testläsare", "ip_address": "192.0.2.1", "username": "okand"}
    common |= {"http_accept": "text/html", "path_info": "/redaktion/login/"}
    AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=2, **common)
    AccessLog.objects.create(**common)
    AccessFailureLog.objects.create(**common)


def admin_urls(model, obj) -> list[str]:
    opts = model._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    urls = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
    if obj is not None:
        urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(f"{prefix}_history", args=[obj.pk]))
    return urls


def check_every_page(client) -> dict[str, list[str]]:
    names = english_names()
    failures: dict[str, list[str]] = {}
    opened = 0
    for url in [reverse("admin:index"), reverse("admin:change_log")]:
        found = problems(client.get(url).content.decode(), names)
        if found:
            failures[url] = found
    for model in registered_models():
        obj = model._default_manager.order_by("pk").first()
        for url in admin_urls(model, obj):
            response = client.get(url)
            if response.status_code in (403, 302) and "_add" not in url:
                continue  # not this role's model (a Redaktör has no users)
            if response.status_code != 200:
                continue  # adding is not allowed here
            opened += 1
            found = problems(response.content.decode(), names)
            if found:
                failures[url] = found
    assert opened > 0
    return failures


def test_the_english_names_list_knows_the_third_party_names():
    names = {n.lower() for n in english_names()}
    for expected in ("totp device", "static device", "access attempt", "user", "axes", "page"):
        assert expected in names, expected
    assert "region" not in names


def test_the_check_finds_what_it_is_meant_to_find():
    names = {"TOTP devices", "Axes"}
    html = (
        '<html><body><nav id="nav-sidebar">AXES</nav><main>'
        "<p>Den n[203 chars]amål</p><p>Anledning: None</p><p>Välj alla TOTP devices</p>"
        '<script>var x = ["ok"];</script><textarea>[länk](/)</textarea></main></body></html>'
    )
    found = problems(html, names)
    assert "None" in found and "chars]" in found
    assert "English name 'TOTP devices'" in found and "English name 'Axes'" in found
    assert any(f.startswith("'[' in") and "n[203" in f for f in found)
    clean = '<main><p>[text](adress)</p><script>["x"]</script><textarea>[a](b)</textarea></main>'
    assert problems(clean, names) == []


def test_every_admin_page_reads_as_swedish_for_a_superuser(client):
    one_of_everything()
    user, _ = make_staff("chef", superuser=True)
    login_verified(client, user)
    failures = check_every_page(client)
    assert not failures, "\n".join(f"{url}: {found}" for url, found in failures.items())


def test_every_admin_page_reads_as_swedish_for_an_editor(client):
    one_of_everything()
    user, _ = make_staff("redaktor", groups=[Group.objects.get(name="Redaktör")])
    login_verified(client, user)
    failures = check_every_page(client)
    assert not failures, "\n".join(f"{url}: {found}" for url, found in failures.items())
