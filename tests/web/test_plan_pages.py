"""The plan's pages (/plan/, /public/plan/ and an action's page), the
scorecard grouped by plan and the indicator page's "In the plan", through
Django's test client over the example and the small plan of plan_builders."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from plan_builders import DRAFT_NOTE, DRAFT_PERCENT, PUBLISHED_NOTE, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(imported_example):
    return build_plan()


def text_of(response) -> str:
    """The page's main content as a reader sees it: tags gone, spaces collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_the_staff_plan_page_shows_each_item_with_its_status_counts_and_sentence(
    staff_client, plan
):
    response = staff_client.get("/plan/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Priority P1: A connected county" in text
    assert "Lead: Director of Digital" in text
    assert "Broadband and services for everyone." in text
    # O1.1: 180 Amber, 181 Contextual (unrated), A1 on track: the worst is Amber
    assert "Outcome O1.1: Everyone can get online ▲ Amber Amber: the worst of its 2 rated" in text
    assert "Indicators 1 ▲ Amber 1 not rated Actions and projects 1 ● On track" in text
    # the priority counts 181 once though it serves two of its outcomes
    assert (
        "Indicators 1 ▲ Amber 1 ★ Blue 1 not rated Actions and projects 1 ● On track 1 ✖ Overdue"
        in text
    )
    assert "Sub-outcome O1.1.1: Digital skills – No status" in text
    assert "Priority P2: A well-run council ✖ Red Red: the worst of its 3 rated" in text


def test_indicators_link_to_their_pages_with_value_unit_period_and_rating(staff_client, plan):
    response = staff_client.get("/plan/")

    html = response.content.decode()
    assert 'href="/indicators/180/?period=2020%2F21+Q2"' in html
    text = text_of(response)
    assert (
        "180: Premises with access to superfast broadband In percentages (%) Key result "
        "Quarter 2 2020/21 97.83% 99.00% ▲ Amber"
    ) in text
    assert text.count("181: Take-up of superfast broadband") == 2  # in O1.1 and O1.2


def test_actions_show_kind_owner_due_percent_status_reason_and_milestones(staff_client, plan):
    text = text_of(staff_client.get("/plan/"))

    assert (
        "Action A1: Roll out gigabit vouchers ● On track On track: 40% complete, due on 31 March 2021."
        in text
    )
    assert "Owner Head of Service Due 31 March 2021 Complete 40%" in text
    assert "Done: Scheme launched — due 30 June 2020, done 15 June 2020" in text
    assert "Not done: Half the vouchers issued — due 31 December 2020, not done yet" in text
    assert "Project A2: Replace the phone system ✖ Overdue Overdue: due on 31 August 2020" in text


def test_the_staff_page_lists_the_findings_with_links(staff_client, plan):
    response = staff_client.get("/plan/")

    text = text_of(response)
    assert "Overdue action: A2 was due on 31 August 2020 and is not complete." in text
    assert "Outcome with no indicator: O1.1.1 has no indicator" in text
    assert "Red with no open action: 183 is Red in September 2020" in text
    html = response.content.decode()
    assert 'href="/plan/actions/A2/?period=2020%2F21+Q2"' in html
    assert 'href="?period=2020%2F21+Q2#item-O1-1-1"' in html
    assert 'id="item-O1-1-1"' in html
    assert 'href="/indicators/183/?period=2020%2F21+Q2"' in html


def test_the_rule_is_stated_in_the_organisations_words(staff_client, plan):
    from perfreport.registry.models import Organisation

    text = text_of(staff_client.get("/plan/"))
    assert "How the plan's status is worked out" in text
    assert "The status of a priority or outcome is the worst rating among" in text
    assert "due within 30 days" in text

    home = Organisation.objects.get(is_home=True)
    home.plan_rule, home.plan_green_share, home.plan_amber_share = "share", 80, 40
    home.action_due_soon_days = 45
    home.save()
    text = text_of(staff_client.get("/plan/"))
    assert "is Green when at least 80% of its indicators and actions are Green or better" in text
    assert "Amber when at least 40% are" in text
    assert "due within 45 days" in text
    # P2: 2 Red indicators and an action on track: 1 of 3 Green or better
    assert (
        "Red: 1 of its 3 rated indicators and actions (33%) is Green or better, under 40%." in text
    )


def test_the_public_page_shows_published_progress_only_and_no_findings(client, plan):
    response = client.get("/public/plan/")

    assert response.status_code == 200
    text = text_of(response)
    assert "The plan: published progress" in text
    assert "To look at" not in text
    assert "Action A3: Clear the FOI backlog" in text
    assert "37%" not in text  # A3's draft percentage
    assert "On track: no progress recorded, due on 30 June 2021." in text
    assert "Complete Not recorded" in text
    assert 'href="/public/indicators/180/?period=2020%2F21+Q2"' in response.content.decode()
    assert 'href="/public/plan/actions/A1/?period=2020%2F21+Q2"' in response.content.decode()


def test_the_staff_plan_needs_a_sign_in(client, plan):
    for url in ("/plan/", "/plan/actions/A1/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_action_page_shows_progress_by_period_drafts_for_staff_only(client, staff_client, plan):
    staff = text_of(staff_client.get("/plan/actions/A3/"))
    assert "Clear the FOI backlog" in staff
    assert "Quarter 2 2020/21 Draft" in staff
    assert DRAFT_NOTE in staff
    assert f"{DRAFT_PERCENT:.0f}% complete" in staff
    assert "Outcome O2.1: Requests answered on time ✖ Red" in staff
    assert "182: Freedom of Information requests completed on time" in staff

    public = client.get("/public/plan/actions/A3/")
    assert public.status_code == 200
    text = text_of(public)
    assert DRAFT_NOTE not in public.content.decode()
    assert "37%" not in text
    assert "No progress published up to Quarter 2 2020/21." in text

    published = text_of(client.get("/public/plan/actions/A1/"))
    assert PUBLISHED_NOTE in published
    assert "Quarter 2 2020/21 40% complete." in published
    assert "Scheme launched 30 June 2020 ✔ Done on 15 June 2020" in published
    assert "Half the vouchers issued 31 December 2020 ○ Not done yet" in published


def test_an_unknown_action_is_a_404_that_says_so(client, plan):
    response = client.get("/public/plan/actions/A9/")

    assert response.status_code == 404
    text = text_of(response)
    assert "There is no action or project with the reference “A9” in the plan." in text
    assert "A1: Roll out gigabit vouchers" in text  # a suggestion


def test_the_period_is_chosen_as_the_scorecard_chooses_it(client, staff_client, plan):
    earlier = text_of(staff_client.get("/plan/?period=2020/21 Q1"))
    assert "projects as at Quarter 1 2020/21, drafts included" in earlier
    # At the end of June 2020, A2 (due 31 August) was not yet overdue, and
    # not at risk: 62 days to go, more than the 30 that make it due soon.
    assert "Project A2: Replace the phone system ● On track" in earlier

    bad = client.get("/public/plan/?period=2020/21 Q9")
    assert bad.status_code == 200
    assert "is not one we can read" in text_of(bad)
    assert "Showing Quarter 2 2020/21 instead." in text_of(bad)

    later = text_of(client.get("/public/plan/?period=2031/32 Q1"))
    assert "No figures are published for Quarter 1 2031/32. Showing Quarter 2 2020/21" in later


def test_the_plan_pages_say_so_when_there_is_no_plan(client, imported_example):
    from perfreport.registry.models import PlanAction, PlanItem

    PlanAction.objects.all().delete()
    PlanItem.objects.all().delete()

    text = text_of(client.get("/public/plan/"))
    assert "There is no plan yet." in text


def test_the_navigation_links_to_the_plan(client, staff_client, plan):
    public = client.get("/public/").content.decode()
    assert 'href="/public/plan/"' in public
    staff = staff_client.get("/scorecard/").content.decode()
    assert 'href="/plan/"' in staff
    page = staff_client.get("/plan/").content.decode()
    assert re.search(r'<a href="/plan/" aria-current="page">Plan</a>', page)


# -- the scorecard grouped by plan ----------------------------------------------------


def headings(html: str) -> list[str]:
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", h)).split())
        for h in re.findall(
            r'<h[234][^>]*class="scorecard__plan-heading"[^>]*>(.*?)</h[234]>', html
        )
    ]


def test_the_scorecard_grouped_by_plan_shows_items_with_status_and_not_in_the_plan_last(
    staff_client, plan
):
    response = staff_client.get("/scorecard/?group=plan")

    assert response.status_code == 200
    html = response.content.decode()
    assert headings(html) == [
        "Priority P1: A connected county ✖ Red",
        "Outcome O1.1: Everyone can get online ▲ Amber",
        "Sub-outcome O1.1.1: Digital skills – No status",
        "Outcome O1.2: Answer residents quickly ✖ Red",
        "Priority P2: A well-run council ✖ Red",
        "Outcome O2.1: Requests answered on time ✖ Red",
        "Not in the plan",
    ]
    assert html.count('href="/indicators/181/') == 2  # under both of its outcomes
    assert '<option value="plan" selected>' in html
    text = text_of(response)
    assert text.index("Requests answered on time") < text.index("Not in the plan")
    assert "Showing 17 of 17 indicators" in text  # each once
    # said of the sub-outcome with none, not of the priorities above their outcomes
    assert text.count("No indicator is linked to it.") == 1
    assert "Digital skills – No status No indicator is linked to it." in text


def test_a_filter_keeps_only_the_items_with_rows_it_matches(client, plan):
    response = client.get("/public/?group=plan&rag=red")

    assert headings(response.content.decode()) == [
        "Priority P2: A well-run council ✖ Red",
        "Outcome O2.1: Requests answered on time ✖ Red",
        "Not in the plan",
    ]
    text = text_of(response)
    assert "Clear filters" in text
    assert 'href="?period=2020/21%20Q2&amp;group=plan">Clear filters' in response.content.decode()


def test_the_default_grouping_is_by_directorate_and_an_unknown_one_is_ignored(staff_client, plan):
    html = staff_client.get("/scorecard/").content.decode()
    assert not headings(html)
    assert '<option value="directorate" selected>' in html

    odd = staff_client.get("/scorecard/?group=colour")
    assert "group “colour”" in text_of(odd)
    assert not headings(odd.content.decode())


def test_the_json_twin_grouped_by_plan_lists_each_indicator_once(staff_client, plan):
    data = json.loads(staff_client.get("/scorecard.json?group=plan").content)

    refs = [row["ref"] for row in data["indicators"]]
    assert len(refs) == len(set(refs)) == 17


# -- the indicator page ---------------------------------------------------------------


def test_the_indicator_page_shows_its_type_the_items_it_serves_and_its_actions(
    client, staff_client, plan
):
    text = text_of(staff_client.get("/indicators/180/"))
    assert "In the plan Type: Key result" in text
    assert "Outcome O1.1: Everyone can get online ▲ Amber" in text
    assert "Action A1: Roll out gigabit vouchers ● On track" in text

    shared = client.get("/public/indicators/181/")
    html = shared.content.decode()
    assert 'href="/public/plan/?period=2020%2F21+Q2#item-O1-1"' in html
    assert 'href="/public/plan/?period=2020%2F21+Q2#item-O1-2"' in html

    alone = text_of(client.get("/public/indicators/188/"))
    assert "It serves no priority or outcome of the plan." in alone


def test_an_update_not_started_hides_neither_the_published_progress_nor_shows_itself(
    client, staff_client, plan
):
    """GIVEN an action whose progress the BI team set (no update of its own),
    WHEN a round opens and makes its empty update for the period
    THEN its page still shows the progress set, and no empty update."""
    from perfreport.core.workflow import EntryState
    from perfreport.data.models import ActionUpdate
    from perfreport.registry.periods import read_period

    action = plan["A2"]
    action.progress, action.progress_period = "Supplier chosen; ANOTE-2f7a.", "2020/21 Q1"
    action.save()
    empty = ActionUpdate(action=action, state=EntryState.NOT_STARTED.value)
    empty.set_period(read_period("2020/21 Q2"))
    empty.save()

    for who in (client, staff_client):
        prefix = "/public" if who is client else ""
        text = text_of(who.get(f"{prefix}/plan/actions/A2/"))
        assert "Quarter 1 2020/21 60% complete. Supplier chosen; ANOTE-2f7a." in text
        assert "Quarter 2 2020/21" not in text.split("Progress by period")[1]


def test_a_quarter_whose_round_published_only_progress_is_a_plan_period(client, plan):
    """A round may publish an action's progress when no figure is due: its
    quarter is one the plan's pages (and only they) offer and show."""
    from perfreport.core.periods import parse_period
    from perfreport.data.models import ActionUpdate
    from perfreport.registry.models import PlanAction
    from perfreport.registry.periods import period_fields

    q3 = period_fields(parse_period("2020/21 Q3"))
    ActionUpdate.objects.create(
        action=PlanAction.objects.get(ref="A1"), state="published",
        percent_complete=85, note="Q3-PROGRESS-9e1d", **q3,
    )  # fmt: skip
    shown = text_of(client.get("/public/plan/", {"period": "2020/21 Q3"}))
    assert "No figures are published" not in shown
    assert "85% complete" in shown
    action = text_of(client.get("/public/plan/actions/A1/", {"period": "2020/21 Q3"}))
    assert "Q3-PROGRESS-9e1d" in action
    assert "Quarter 3 2020/21" in text_of(client.get("/public/plan/"))  # the latest, by default
    scorecard = text_of(client.get("/public/", {"period": "2020/21 Q3"}))
    assert "No figures are published for Quarter 3 2020/21" in scorecard
