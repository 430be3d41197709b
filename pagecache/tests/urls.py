"""Test-only views for the page cache's rules (ROOT_URLCONF in these tests)."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.urls import path
from django.views.decorators.http import require_safe

from nspm_portal import urls as site_urls
from pagecache import cache_public_page

RENDERS = {"count": 0}

FORM = Template(
    '<form method="post" action="/form/">{% csrf_token %}<input name="q" value="{{ q }}"></form>'
)


def _counted(body: str, **kwargs) -> HttpResponse:
    RENDERS["count"] += 1
    return HttpResponse(body, **kwargs)


@cache_public_page(params=["a", "b", "q"])
@require_safe
def plain(request):
    # Everything the view sees of the query string, in the order it comes.
    return _counted(f"plain {request.GET.urlencode()} render {RENDERS['count']}")


@cache_public_page(params=["kommun"])
@require_safe
def lookup(request):
    # Like the coordinator lookup: the last value of a repeated parameter wins.
    return _counted(f"kommun={request.GET.get('kommun', '-')} seen={sorted(request.GET)}")


@cache_public_page
@require_safe
def no_params(request):
    return _counted(f"bound={bool(request.GET)}")


@cache_public_page
@require_safe
def sets_cookie(request):
    response = _counted("cookie")
    response.set_cookie("tracking", "1")
    return response


@cache_public_page
@require_safe
def not_found(request):
    return _counted("missing", status=404)


@cache_public_page
@require_safe
def reads_session(request):
    request.session.get("x")
    return _counted("session")


@cache_public_page
@require_safe
def uses_nonce(request):
    return _counted(f"nonce {request.csp_nonce}")


@cache_public_page
@require_safe
def own_cache_control(request):
    response = _counted("private")
    response["Cache-Control"] = "private, no-store"
    return response


@cache_public_page
@require_safe
def token_outside_form(request):
    return _counted(f'<meta name="csrf" content="{get_token(request)}">')


@cache_public_page
def form(request):
    if request.method == "POST":
        return HttpResponse(f"posted {request.POST.get('q', '')}")
    RENDERS["count"] += 1
    return HttpResponse(FORM.render(Context({"csrf_token": get_token(request), "q": "x"})))


def uncached(request):
    return _counted("uncached")


urlpatterns = [
    path("plain/", plain),
    path("lookup/", lookup),
    path("no-params/", no_params),
    path("cookie/", sets_cookie),
    path("404/", not_found),
    path("session/", reads_session),
    path("nonce/", uses_nonce),
    path("private/", own_cache_control),
    path("meta-token/", token_outside_form),
    path("form/", form),
    path("uncached/", uncached),
    # The site's own URLs, by name only: its error pages link to them. Added as they are,
    # not include()d: Django allows i18n_patterns only in the root URLconf.
    *site_urls.urlpatterns,
]
