from django.urls import path

from . import views
from .models import Page

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("om-nspm/", views.content_page, {"slug": Page.ABOUT}, name="about"),
    path("tillganglighet/", views.content_page, {"slug": Page.ACCESSIBILITY}, name="accessibility"),
    path("personuppgifter/", views.content_page, {"slug": Page.PRIVACY}, name="privacy"),
    path("dokument/<slug:slug>/", views.document, name="document"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
]
