"""The web application's addresses. Staff pages need a signed-in user; the
public pages and the open data are for everyone and show published values only."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from perfreport.web import (
    action_page,
    approvals,
    distribution_page,
    evidence_page,
    feeds_page,
    grid,
    history,
    imports_page,
    indicator,
    opendata,
    passwords,
    people,
    plan,
    report_settings,
    reports_page,
    rounds_page,
    scorecard,
    views,
    work,
)

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
    *passwords.patterns(),
    # People and their roles (BI administrators)
    path("people/", people.people, name="people"),
    path("people/<int:pk>/", people.person, name="person"),
    path("people/<int:pk>/active", people.person_active, name="person_active"),
    path("people/<int:pk>/invite", people.person_invite_again, name="person_invite"),
    path("people/<int:pk>/roles/<int:grant_pk>/remove", people.role_remove, name="role_remove"),
    # Staff
    path("scorecard/", scorecard.scorecard, name="scorecard"),
    path("scorecard.json", scorecard.scorecard_json, name="scorecard_json"),
    path("indicators/<str:ref>/", indicator.indicator, name="indicator"),
    path("indicators/<str:ref>.json", indicator.indicator_json, name="indicator_json"),
    path("indicators/<str:ref>/data.<str:fmt>", indicator.indicator_data, name="indicator_data"),
    path("plan/", plan.plan, name="plan"),
    path("plan/actions/<str:ref>/", plan.plan_action, name="plan_action"),
    path("reports/", reports_page.reports, name="reports"),
    path("reports/download", reports_page.download, name="report_download"),
    # The quarterly round
    path("work/", work.my_work, name="my_work"),
    path("work/figures/", grid.grid, name="grid"),
    path("work/figures.xlsx", grid.template_download, name="grid_template"),
    path("work/figures/upload", grid.template_upload, name="grid_upload"),
    path("work/approve", approvals.approve_selected, name="approve_selected"),
    path("work/entries/<int:pk>/evidence", evidence_page.evidence_upload, name="evidence_upload"),
    path(
        "work/evidence/<int:evidence_id>/",
        evidence_page.evidence_download,
        name="evidence_download",
    ),
    path(
        "work/evidence/<int:evidence_id>/remove",
        evidence_page.evidence_remove,
        name="evidence_remove",
    ),
    path("work/entries/<int:pk>/", work.entry, name="entry"),
    path("work/entries/<int:pk>/preview", work.entry_preview, name="entry_preview"),
    path("work/entries/<int:pk>/approve", work.entry_approve, name="entry_approve"),
    path("work/entries/<int:pk>/return", work.entry_return, name="entry_return"),
    path("work/entries/<int:pk>/restate", work.entry_restate, name="entry_restate"),
    path("work/actions/<int:pk>/", action_page.action_update, name="action_update"),
    path("work/actions/<int:pk>/approve", action_page.action_approve, name="action_approve"),
    path("work/actions/<int:pk>/return", action_page.action_return, name="action_return"),
    path("work/actions/<int:pk>/restate", action_page.action_restate, name="action_restate"),
    path("rounds/", rounds_page.rounds, name="rounds"),
    path("rounds/<int:pk>/", rounds_page.round_detail, name="round"),
    path("rounds/<int:pk>/publish", rounds_page.round_publish, name="round_publish"),
    path(
        "rounds/<int:pk>/entries/<int:entry_pk>/owner",
        rounds_page.round_owner,
        name="round_owner",
    ),
    path("indicators/<str:ref>/history/", history.indicator_history, name="indicator_history"),
    path("history/<int:pk>/revert", history.revert, name="revert"),
    # Imports in the browser (BI administrators)
    path("imports/", imports_page.import_upload, name="imports"),
    path("imports/preview", imports_page.import_preview, name="import_preview"),
    path("imports/confirm", imports_page.import_confirm, name="import_confirm"),
    path("imports/cancel", imports_page.import_cancel, name="import_cancel"),
    path("settings/report/", report_settings.report_settings, name="report_settings"),
    # Automated feeds (BI administrators)
    path("feeds/", feeds_page.feeds, name="feeds"),
    path("feeds/add", feeds_page.feed_add, name="feed_add"),
    path("feeds/<int:pk>/", feeds_page.feed_detail, name="feed"),
    path("feeds/<int:pk>/edit", feeds_page.feed_edit, name="feed_edit"),
    path("feeds/<int:pk>/try", feeds_page.feed_try, name="feed_try"),
    path("feeds/<int:pk>/run", feeds_page.feed_run_now, name="feed_run_now"),
    path("feeds/<int:pk>/remove", feeds_page.feed_remove, name="feed_remove"),
    path("feeds/<int:pk>/runs/<int:run_pk>/", feeds_page.feed_run_page, name="feed_run"),
    *distribution_page.patterns(),
    # Public
    path("public/", scorecard.public_scorecard, name="public_scorecard"),
    path("public.json", scorecard.public_scorecard_json, name="public_scorecard_json"),
    path("public/indicators/<str:ref>/", indicator.public_indicator, name="public_indicator"),
    path(
        "public/indicators/<str:ref>.json",
        indicator.public_indicator_json,
        name="public_indicator_json",
    ),
    path("public/plan/", plan.public_plan, name="public_plan"),
    path("public/plan/actions/<str:ref>/", plan.public_plan_action, name="public_plan_action"),
    path("public/reports/", reports_page.public_reports, name="public_reports"),
    path("public/reports/download", reports_page.public_download, name="public_report_download"),
    path("open-data/", opendata.open_data, name="open_data"),
    path("open-data/<str:name>.<str:fmt>", opendata.open_data_file, name="open_data_file"),
]
