from django.urls import path

from pages.views import content_page

app_name = "helpline"
urlpatterns = [path("", content_page, {"slug": "stodtelefon"}, name="detail")]
