from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("sida/<slug:slug>/", views.vote, name="vote"),
    path("sida/<slug:slug>/tack/", views.thanks, name="thanks"),
    path("kommentar/<str:token>/", views.comment, name="comment"),
]
