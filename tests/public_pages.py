"""The one list of public pages every accessibility, security and privacy check walks.

Adding a page is one line in ``CATALOGUE``. An entry names a URL (by its URL name, never a
literal path) and, where the page needs data (an issue, a token), a builder that creates it
through the owning app's services and returns the ``reverse()`` arguments.

Every entry is checked twice: in Swedish at the root and in English under /en/ (the same URL
name reversed with English active), so an English page passes exactly the Swedish checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import translation

# An address the browser accepts (type=email allows it) but the server must refuse:
# the domain has no dot, so email-validator says no. The signup form's error state.
BAD_EMAIL = "namn@exempel"
# A common domain typo: the signup page asks "Menade du namn@gmail.com?".
TYPO_EMAIL = "namn@gmial.con"


@dataclass(frozen=True)
class PublicPage:
    label: str
    path: str
    status: int = 200
    # The page carries a POST form (or is reached through one): the CSRF cookie is allowed
    # here and nowhere else.
    post_form: bool = False
    # Fill these fields (by name) and submit the page's POST form before checking: the
    # state a visitor sees after submitting, reached by a real browser form submission.
    # None: nothing to submit.
    submit: dict[str, str] | None = None
    # The page is a form's error state: the GOV.UK error pattern must show, and ``typed``
    # (field name -> what the visitor typed, sent by GET or POST) must still be in the fields.
    form_error: bool = False
    typed: dict[str, str] | None = None
    # The language the page is in: "sv" at the root, "en" under /en/.
    language: str = "sv"


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    query: tuple[tuple[str, str], ...] = ()
    status: int = 200
    post_form: bool = False
    # None: just load the page. A tuple of (field name, value): fill those and submit the
    # page's POST form (an empty tuple submits it as it is, e.g. a single button).
    submit: tuple[tuple[str, str], ...] | None = None
    form_error: bool = False
    kwargs: dict | None = None
    # Creates what the page needs and returns reverse() kwargs (or None for none).
    build: Callable[[], dict | None] | None = None


def _newsletter_issue() -> dict:
    from tests.builders import published_issue

    return published_issue()


def _archive_with_an_issue() -> None:
    _newsletter_issue()
    return None


def _confirm_token() -> dict:
    from tests.builders import confirm_token

    return confirm_token()


def _used_confirm_token() -> dict:
    from tests.builders import used_confirm_token

    return used_confirm_token()


def _unsubscribe_token() -> dict:
    from tests.builders import unsubscribe_token

    return unsubscribe_token()


def _feedback_comment_token() -> dict:
    from tests.builders import feedback_comment_token

    return feedback_comment_token()


CATALOGUE: list[Entry] = [
    Entry("Startsidan", "pages:home"),
    Entry("Om NSPM", "pages:about"),
    Entry("Stödtelefonen", "helpline:detail"),
    Entry("Kontakt", "contacts:list"),
    Entry("Kontakt, filtrerad", "contacts:list", query=(("q", "utredare"), ("region", "nord"))),
    Entry("Kontakt, filter utan träff", "contacts:list", query=(("q", "finns-inte-alls"),)),
    Entry("Kontakt, filter med fel", "contacts:list", query=(("q", "x" * 101),), form_error=True),
    Entry("Kontakt, en ort i sökningen", "contacts:list", query=(("q", "Göteborg"),)),
    Entry("Regionkoordinatorer utan sökning", "contacts:coordinators"),
    Entry("Regionkoordinatorer, svar (Malå)", "contacts:coordinators", query=(("kommun", "Malå"),)),
    Entry(
        "Regionkoordinatorer, län (Jämtland)",
        "contacts:coordinators",
        query=(("kommun", "Jämtland"),),
    ),
    Entry(
        "Regionkoordinatorer, val (Farsta)", "contacts:coordinators", query=(("kommun", "Farsta"),)
    ),
    Entry(
        "Regionkoordinatorer, inget svar",
        "contacts:coordinators",
        query=(("kommun", "xyz"),),
        form_error=True,
    ),
    Entry("NMT", "nmt:index"),
    Entry("Nyhetsbrev, anmälan", "newsletter:signup", post_form=True),
    Entry(
        "Nyhetsbrev, anmälan med fel",
        "newsletter:signup",
        post_form=True,
        submit=(("email", BAD_EMAIL),),
        form_error=True,
    ),
    Entry(
        "Nyhetsbrev, Menade du …?",
        "newsletter:signup",
        post_form=True,
        submit=(("email", TYPO_EMAIL),),
    ),
    Entry("Nyhetsbrev, tack", "newsletter:thanks"),
    Entry("Nyhetsbrev, arkiv", "newsletter:archive", build=_archive_with_an_issue),
    Entry("Nyhetsbrev, ett nummer", "newsletter:issue", build=_newsletter_issue),
    Entry("Nyhetsbrev, bekräfta", "newsletter:confirm", post_form=True, build=_confirm_token),
    Entry(
        "Nyhetsbrev, bekräfta med ogiltig länk",
        "newsletter:confirm",
        status=404,
        kwargs={"token": "ogiltig-lank"},
    ),
    Entry(
        "Nyhetsbrev, efter knappen Bekräfta",
        "newsletter:confirm",
        post_form=True,
        submit=(),
        build=_confirm_token,
    ),
    Entry(
        "Nyhetsbrev, prenumererar redan (använd länk)",
        "newsletter:confirm",
        build=_used_confirm_token,
    ),
    Entry(
        "Nyhetsbrev, avsluta", "newsletter:unsubscribe", post_form=True, build=_unsubscribe_token
    ),
    Entry(
        "Nyhetsbrev, avslutad (efter knappen Avsluta)",
        "newsletter:unsubscribe",
        post_form=True,
        submit=(),
        build=_unsubscribe_token,
    ),
    Entry("Sök utan sökord", "search:results"),
    Entry("Sök, träffar", "search:results", query=(("q", "människohandel"),)),
    Entry("Sök, direkt svar (kommun)", "search:results", query=(("q", "Malå"),)),
    Entry("Sök, direkt svar (stödtelefonen)", "search:results", query=(("q", "stödtelefon"),)),
    Entry("Sök, inga träffar", "search:results", query=(("q", "xqzvyk"),)),
    Entry("Hjälpte sidan dig?, tack", "feedback:thanks", kwargs={"slug": "om-nspm"}),
    Entry(
        "Hjälpte sidan dig?, kommentar efter Nej",
        "feedback:comment",
        post_form=True,
        build=_feedback_comment_token,
    ),
    Entry(
        "Hjälpte sidan dig?, för lång kommentar",
        "feedback:comment",
        post_form=True,
        submit=(("kommentar", ("Det saknas uppgifter. " * 24).strip()),),
        form_error=True,
        build=_feedback_comment_token,
    ),
    Entry(
        "Hjälpte sidan dig?, efter Skicka",
        "feedback:comment",
        post_form=True,
        submit=(("kommentar", "Öppettiderna i juli saknas."),),
        build=_feedback_comment_token,
    ),
    Entry("Tillgänglighetsredogörelse", "pages:accessibility"),
    Entry("Personuppgifter och kakor", "pages:privacy"),
    Entry("Sidan hittades inte (404)", "", status=404),
]

NOT_FOUND_PATH = "/den-har-sidan-finns-inte/"
NOT_FOUND_PATHS = {"sv": NOT_FOUND_PATH, "en": "/en/this-page-does-not-exist/"}
LANGUAGES = ("sv", "en")


def build_public_pages() -> tuple[list[PublicPage], list[str]]:
    """Create the data the pages need; return (pages, labels of entries that cannot be built).

    Call inside a test with database access. An entry whose URL name does not exist yet is
    reported as missing rather than silently dropped. Each entry gives a Swedish and an
    English page (the English label ends in " (en)").
    """
    pages: list[PublicPage] = []
    missing: list[str] = []
    for entry in CATALOGUE:
        for language in LANGUAGES:
            label = entry.label if language == "sv" else f"{entry.label} (en)"
            if entry.status == 404 and not entry.url_name:
                pages.append(
                    PublicPage(label, NOT_FOUND_PATHS[language], status=404, language=language)
                )
                continue
            try:
                kwargs = entry.build() if entry.build else entry.kwargs
                with translation.override(language):
                    path = reverse(entry.url_name, kwargs=kwargs or None)
            except (NoReverseMatch, ImportError, AttributeError) as exc:
                missing.append(f"{label} ({entry.url_name}): {type(exc).__name__}: {exc}")
                continue
            if entry.query:
                path = f"{path}?{urlencode(entry.query)}"
            pages.append(
                PublicPage(
                    label,
                    path,
                    status=entry.status,
                    post_form=entry.post_form,
                    submit=None if entry.submit is None else dict(entry.submit),
                    form_error=entry.form_error,
                    typed=dict(entry.submit or entry.query) if entry.form_error else None,
                    language=language,
                )
            )
    return pages, missing
