from django.urls import path

from pages.views import content_page

app_name = "nmt"
urlpatterns = [path("", content_page, {"slug": "nmt"}, name="index")]
