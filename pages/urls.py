from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views
from .models import Page

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path(_("om-nspm/"), views.content_page, {"slug": Page.ABOUT}, name="about"),
    path(
        _("tillganglighet/"), views.content_page, {"slug": Page.ACCESSIBILITY}, name="accessibility"
    ),
    path(_("personuppgifter/"), views.content_page, {"slug": Page.PRIVACY}, name="privacy"),
    path(_("dokument/<slug:slug>/"), views.document, name="document"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
]
