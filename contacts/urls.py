from django.urls import path

from pages.views import content_page

app_name = "contacts"
urlpatterns = [
    path("", content_page, {"slug": "om-nspm"}, name="list"),
    path("regionkoordinatorer/", content_page, {"slug": "om-nspm"}, name="coordinators"),
]
