from django.urls import path
from django.utils.translation import gettext_lazy as _

from pagecache import cache_public_page

from . import views
from .feeds import ArchiveFeed

app_name = "newsletter"
urlpatterns = [
    path("", views.signup, name="signup"),
    path(_("tack/"), views.thanks, name="thanks"),
    # /nyhetsbrev/bekrafta/ is disallowed in robots.txt; every token page is noindex too.
    path(_("bekrafta/<str:token>/"), views.confirm, name="confirm"),
    path(_("avsluta/<str:token>/"), views.unsubscribe, name="unsubscribe"),
    path(_("avsluta/<str:token>/angra/"), views.resubscribe, name="resubscribe"),
    # The List-Unsubscribe header's URL (RFC 8058 one-click).
    path(
        _("avsluta/<str:token>/ett-klick/"),
        views.unsubscribe_one_click,
        name="unsubscribe_one_click",
    ),
    path(_("arkiv/"), views.archive, name="archive"),
    path(_("arkiv/<int:number>/"), views.issue_detail, name="issue"),
    path(_("arkiv/atom.xml"), cache_public_page(ArchiveFeed()), name="feed"),
]
