"""Test-only views around the real site's URLs, to try the page cache's refusal rules."""

from django.db import OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import Context, Template
from django.urls import path
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_safe

from nspm_portal.cache import cache_public_page
from nspm_portal.urls import handler404, handler500  # noqa: F401
from nspm_portal.urls import urlpatterns as site_urlpatterns

RENDERS = {"count": 0}

FORM = Template(
    '<form method="post" action="/ops/form/">{% csrf_token %}'
    '<input name="q" value="{{ q }}"></form>'
)


def _counted(body: str, **kwargs) -> HttpResponse:
    RENDERS["count"] += 1
    return HttpResponse(body, **kwargs)


@cache_public_page
@require_safe
def plain(request):
    return _counted(f"plain {request.GET.urlencode()} render {RENDERS['count']}")


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


@cache_public_page
@require_safe
def template_page(request):
    RENDERS["count"] += 1
    return render(request, "404.html")


def boom(request):
    raise ValueError("something broke")


def database_down(request):
    raise OperationalError(
        'connection to server at "10.1.2.3", port 5432 failed for anna.andersson@example.se'
    )


@csrf_protect
def protected(request, token):
    return HttpResponse("ok")


urlpatterns = [
    path("ops/boom/", boom),
    path("ops/db-down/", database_down),
    path("ops/protected/<str:token>/", protected),
    path("ops/plain/", plain),
    path("ops/cookie/", sets_cookie),
    path("ops/404/", not_found),
    path("ops/session/", reads_session),
    path("ops/nonce/", uses_nonce),
    path("ops/private/", own_cache_control),
    path("ops/meta-token/", token_outside_form),
    path("ops/form/", form),
    path("ops/uncached/", uncached),
    path("ops/template/", template_page),
    *site_urlpatterns,
]
