"""Test-only views around the real site's URLs: errors for the logging tests."""

from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_protect

from nspm_portal.urls import handler404, handler500  # noqa: F401
from nspm_portal.urls import urlpatterns as site_urlpatterns


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
    *site_urlpatterns,
]
