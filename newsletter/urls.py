from django.urls import path

from pages.views import content_page

app_name = "newsletter"
urlpatterns = [path("", content_page, {"slug": "nyhetsbrev"}, name="signup")]
