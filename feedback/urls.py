from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "feedback"
urlpatterns = [
    path(_("sida/<slug:slug>/"), views.vote, name="vote"),
    path(_("sida/<slug:slug>/tack/"), views.thanks, name="thanks"),
    path(_("kommentar/<str:token>/"), views.comment, name="comment"),
]
