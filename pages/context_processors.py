from django.conf import settings
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


def site(request):
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    namespace = match.namespace if match else ""
    return {
        "quick_exit_url": settings.QUICK_EXIT_URL,
        # An editor's preview of a draft (pages.publication): marked, never indexed.
        "page_preview": previewed_page(request),
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
