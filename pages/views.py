from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from common.database import outside_database_gate
from common.health import site_is_healthy
from pagecache import cache_public_page

from .models import Document, Page
from .publication import page_for_visitors, published_documents, untranslated_response


@cache_public_page
@require_safe
def home(request):
    page = page_for_visitors(request, Page.START)
    if page.untranslated:
        return untranslated_response(request, page)
    return render(request, "pages/home.html", {"page": page})


@cache_public_page
@require_safe
def content_page(request, slug: str):
    page = page_for_visitors(request, slug, Page.objects.prefetch_related(published_documents()))
    if page.untranslated:
        return untranslated_response(request, page)
    return render(request, "pages/page.html", {"page": page})


@require_safe
def document(request, slug: str):
    doc = get_object_or_404(Document.objects.published(), slug=slug)
    if not doc.file:
        raise Http404
    inline = doc.file_type == "pdf"
    response = FileResponse(
        doc.file.open("rb"),
        as_attachment=not inline,
        filename=f"{doc.slug}.{doc.file_type}",
        content_type=doc.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A document is never a web page: no scripts, no plugins, whatever it contains.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@outside_database_gate
@never_cache
@require_safe
def healthz(request):
    # Its own short limits, so it answers within about a second whatever the database and
    # Redis do (common/health.py).
    try:
        healthy = site_is_healthy()
    except DatabaseError:
        healthy = False
    if not healthy:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_safe
def robots_txt(request):
    body = "\n".join(
        [
            "User-agent: *",
            "Disallow: /redaktion/",
            # Personal links from mails: never for crawlers, whatever the page says.
            "Disallow: /nyhetsbrev/bekrafta/",
            "Disallow: /nyhetsbrev/avsluta/",
            # Search results and the answers to "Hjälpte sidan dig?" are no pages to index.
            f"Disallow: {reverse('search:results')}",
            "Disallow: /synpunkter/",
            "",
            f"Sitemap: {settings.SITE_URL}{reverse('search:sitemap')}",
            "",
        ]
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@require_safe
def security_txt(request):
    # The file is generated, not edited by hand, so it cannot go stale: it always expires
    # half a year ahead (RFC 9116 asks for less than a year).
    today = timezone.now().astimezone(UTC).date()
    expires = datetime.combine(today + timedelta(days=182), time.min, tzinfo=UTC)
    return render(
        request,
        "pages/security.txt",
        {"site_url": settings.SITE_URL, "expires": expires.strftime("%Y-%m-%dT%H:%M:%SZ")},
        content_type="text/plain; charset=utf-8",
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Render without touching the database: the layout's helpline box falls back
    # to the plain numbers when it cannot read the schedule.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}, request), status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
