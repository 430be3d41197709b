from django.urls import path

from pagecache import cache_public_page

from . import views
from .feeds import ArchiveFeed

app_name = "newsletter"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("tack/", views.thanks, name="thanks"),
    # /nyhetsbrev/bekrafta/ is disallowed in robots.txt; every token page is noindex too.
    path("bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("avsluta/<str:token>/angra/", views.resubscribe, name="resubscribe"),
    # The List-Unsubscribe header's URL (RFC 8058 one-click).
    path(
        "avsluta/<str:token>/ett-klick/", views.unsubscribe_one_click, name="unsubscribe_one_click"
    ),
    path("arkiv/", views.archive, name="archive"),
    path("arkiv/<int:number>/", views.issue_detail, name="issue"),
    path("arkiv/atom.xml", cache_public_page(ArchiveFeed()), name="feed"),
]
