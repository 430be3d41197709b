from django.urls import path

from . import views

app_name = "nmt"
urlpatterns = [path("", views.index, name="index")]
