from django.urls import path

from . import views

app_name = "helpline"
urlpatterns = [
    path("", views.detail, name="detail"),
    path("status.json", views.status_json, name="status_json"),
]
