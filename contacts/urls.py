from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path(_("regionkoordinatorer/"), views.coordinators, name="coordinators"),
    # Beside, not under, the HTML page: /kontakt/regionkoordinatorer.json?kommun=…
    path(_("regionkoordinatorer.json"), views.coordinators_json, name="coordinators_json"),
    path("<slug:slug>.vcf", views.vcard, name="vcard"),
]
