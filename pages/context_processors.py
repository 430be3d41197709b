from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .publication import previewed_page

NAVIGATION = [
    ("pages:home", _("Start")),
    ("helpline:detail", _("Stödtelefon")),
    ("contacts:list", _("Kontakt")),
    ("nmt:index", _("NMT")),
    ("newsletter:signup", _("Nyhetsbrev")),
    ("pages:about", _("Om NSPM")),
]

# Where a page sits in the site, for the breadcrumbs: the section above it. Every other
# page sits right under the start page.
PARENTS = {
    "contacts:coordinators": "contacts:list",
    "newsletter:thanks": "newsletter:signup",
    "newsletter:confirm": "newsletter:signup",
    "newsletter:confirmed": "newsletter:signup",
    "newsletter:unsubscribe": "newsletter:signup",
    "newsletter:resubscribe": "newsletter:signup",
    "newsletter:archive": "newsletter:signup",
    "newsletter:issue": "newsletter:archive",
}
SECTION_LABELS = {**dict(NAVIGATION), "newsletter:archive": _("Nyhetsbrevsarkiv")}
HOME = "pages:home"


def breadcrumbs_for(url_name: str) -> list[dict]:
    """The start page and the sections above ``url_name``, outermost first; none for the
    start page itself (or a page the URL configuration does not know, such as a 404)."""
    if not url_name or url_name == HOME:
        return []
    chain = []
    parent = PARENTS.get(url_name)
    while parent and parent not in chain:
        chain.insert(0, parent)
        parent = PARENTS.get(parent)
    return [{"url": reverse(name), "label": SECTION_LABELS[name]} for name in [HOME, *chain]]


# Each language's name in itself, for the link to it ("English" on a Swedish page).
AUTONYMS = {"sv": "Svenska", "en": "English"}


def language_versions(request, match) -> list[dict]:
    """This page in each language: ``url`` keeps the query string (the switch link keeps
    the visitor where she is, ``?kommun=`` and all), ``alternate`` is the absolute address
    without it (hreflang). A page the URLs do not know (a 404) points to the start pages."""
    versions = []
    for code, _name in settings.LANGUAGES:
        if match is not None:
            url = translate_url(request.get_full_path(), code)
            path = translate_url(request.path, code)
        else:
            with translation.override(code):
                url = path = reverse(HOME)
        versions.append(
            {
                "code": code,
                "name": AUTONYMS[code],
                "url": url,
                "alternate": settings.SITE_URL + path,
                "current": code == translation.get_language(),
            }
        )
    return versions


def site(request):
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    namespace = match.namespace if match else ""
    return {
        "quick_exit_url": settings.QUICK_EXIT_URL,
        # An editor's preview of a draft (pages.publication): marked, never indexed.
        "page_preview": previewed_page(request),
        # The public address of this page without its query string: the canonical URL
        # search engines and link previews should use.
        "canonical_url": settings.SITE_URL + request.path,
        "breadcrumbs": breadcrumbs_for(current),
        "language_versions": language_versions(request, match),
        "navigation": [
            {
                "url_name": name,
                "label": label,
                "current": name == current
                or (name.split(":")[0] == namespace and namespace != "pages"),
            }
            for name, label in NAVIGATION
        ],
    }
