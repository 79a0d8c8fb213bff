"""The web application's addresses. Staff pages need a signed-in user; the
public pages and the open data are for everyone and show published values only."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from perfreport.web import indicator, opendata, reports_page, scorecard, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", extra_context={"nav": "login"}
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Staff
    path("scorecard/", scorecard.scorecard, name="scorecard"),
    path("scorecard.json", scorecard.scorecard_json, name="scorecard_json"),
    path("indicators/<str:ref>/", indicator.indicator, name="indicator"),
    path("indicators/<str:ref>.json", indicator.indicator_json, name="indicator_json"),
    path("indicators/<str:ref>/data.<str:fmt>", indicator.indicator_data, name="indicator_data"),
    path("reports/", reports_page.reports, name="reports"),
    path("reports/download", reports_page.download, name="report_download"),
    # Public
    path("public/", scorecard.public_scorecard, name="public_scorecard"),
    path("public.json", scorecard.public_scorecard_json, name="public_scorecard_json"),
    path("public/indicators/<str:ref>/", indicator.public_indicator, name="public_indicator"),
    path(
        "public/indicators/<str:ref>.json",
        indicator.public_indicator_json,
        name="public_indicator_json",
    ),
    path("public/reports/", reports_page.public_reports, name="public_reports"),
    path("public/reports/download", reports_page.public_download, name="public_report_download"),
    path("open-data/", opendata.open_data, name="open_data"),
    path("open-data/<str:name>.<str:fmt>", opendata.open_data_file, name="open_data_file"),
]
