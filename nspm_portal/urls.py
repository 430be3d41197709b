from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("redaktion/", admin.site.urls),
    path("stodtelefon/", include("helpline.urls")),
    path("kontakt/", include("contacts.urls")),
    path("nmt/", include("nmt.urls")),
    path("nyhetsbrev/", include("newsletter.urls")),
    path("synpunkter/", include("feedback.urls")),
    path("", include("search.urls")),
    path("", include("pages.urls")),
]

handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
