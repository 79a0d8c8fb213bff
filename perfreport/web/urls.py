from django.urls import path

from perfreport.web import views

app_name = "web"
urlpatterns = [
    path("", views.scorecard, name="scorecard"),
]
