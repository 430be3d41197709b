from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

# The staff side stays Swedish and outside the languages. Everything else exists twice:
# Swedish at the root and English under /en/ with English paths (the path segments are
# translated strings). No visitor is redirected by browser language.
urlpatterns = [
    path("redaktion/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path(_("stodtelefon/"), include("helpline.urls")),
    path(_("kontakt/"), include("contacts.urls")),
    path("nmt/", include("nmt.urls")),
    path(_("nyhetsbrev/"), include("newsletter.urls")),
    path(_("synpunkter/"), include("feedback.urls")),
    path("", include("search.urls")),
    path("", include("pages.urls")),
    prefix_default_language=False,
)

handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
