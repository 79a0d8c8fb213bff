"""The plan in the admin site: a priority or outcome with the indicators it
serves, an action or project with its milestones and what it serves, the
indicator's type and the organisation's roll-up rule; every change in the
audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from plan_builders import build_plan

from perfreport.audit.models import AuditEvent
from perfreport.registry.models import Indicator, Organisation, PlanAction, PlanItem

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_an_outcome_is_added_with_its_indicators_and_both_are_audited(
    admin_client, imported_example
):
    build_plan()
    priority = PlanItem.objects.get(ref="P2")
    indicator = Indicator.objects.get(ref="184")
    data = {
        "ref": "O2.2", "title": "Returns on time", "parent": str(priority.pk),
        "lead": "Head of Finance", "description": "", "position": "2",
        **management("links", total=1),
        "links-0-indicator": str(indicator.pk), "links-0-position": "0",
    }  # fmt: skip

    response = admin_client.post(reverse("admin:registry_planitem_add"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    outcome = PlanItem.objects.get(ref="O2.2")
    assert list(outcome.indicators.values_list("ref", flat=True)) == ["184"]
    assert outcome.depth == 2
    kinds = set(AuditEvent.objects.filter(action="create").values_list("object_type", flat=True))
    assert {"planitem", "planlink"} <= kinds


def test_a_fourth_level_is_refused_naming_the_parent(admin_client, imported_example):
    build_plan()
    third = PlanItem.objects.get(ref="O1.1.1")
    data = {"ref": "X", "title": "Too deep", "parent": str(third.pk), "lead": "",
            "description": "", "position": "0", **management("links")}  # fmt: skip

    response = admin_client.post(reverse("admin:registry_planitem_add"), data)

    assert response.status_code == 200
    assert "the plan has at most 3 levels" in response.content.decode()
    assert not PlanItem.objects.filter(ref="X").exists()


def test_an_actions_outcomes_and_milestones_change_and_are_audited(admin_client, imported_example):
    plan = build_plan()
    action = plan["A2"]
    url = reverse("admin:registry_planaction_change", args=[action.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'id="id_outcomes"' in page.content.decode()
    data = {
        "ref": "A2", "kind": "project", "title": "Replace the phone system", "description": "",
        "position": "0", "owner": "Head of Service", "owner_user": "",
        "directorate": str(action.directorate_id),
        "outcomes": [str(plan["O1.2"].pk), str(plan["O2.1"].pk)],
        "indicators": [str(Indicator.objects.get(ref="190").pk)],
        "start": "2020-01-01", "due": "2020-08-31", "percent_complete": "60",
        "completed_on": "", "progress": "", "progress_period": "",
        **management("milestones", total=1),
        "milestones-0-title": "Contract signed", "milestones-0-due": "2020-05-31",
        "milestones-0-completed_on": "", "milestones-0-position": "0",
    }  # fmt: skip

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(action.outcomes.values_list("ref", flat=True)) == ["O1.2", "O2.1"]
    assert list(action.milestones.values_list("title", flat=True)) == ["Contract signed"]
    served = AuditEvent.objects.filter(object_type="planaction", action="update").latest("pk")
    assert served.before == {"outcomes": ["O1.2"]}
    assert served.after == {"outcomes": ["O1.2", "O2.1"]}
    assert AuditEvent.objects.filter(object_type="milestone", action="create").exists()


def test_a_due_date_before_the_start_is_refused(admin_client, imported_example):
    data = {"ref": "A9", "kind": "action", "title": "Backwards", "description": "",
            "position": "0", "owner": "", "owner_user": "", "directorate": "",
            "start": "2021-01-01", "due": "2020-01-01", "percent_complete": "",
            "completed_on": "", "progress": "", "progress_period": "",
            **management("milestones")}  # fmt: skip

    response = admin_client.post(reverse("admin:registry_planaction_add"), data)

    assert response.status_code == 200
    assert "the due date is before the start" in response.content.decode()
    assert not PlanAction.objects.filter(ref="A9").exists()


def test_the_indicator_form_has_its_type(admin_client, imported_example):
    indicator = Indicator.objects.get(ref="180")
    page = admin_client.get(reverse("admin:registry_indicator_change", args=[indicator.pk]))

    html = page.content.decode()
    assert 'name="kind"' in html
    assert "Key result" in html and "Activity or context" in html


def test_the_organisation_refuses_an_amber_share_above_green_naming_it(
    admin_client, imported_example
):
    home = Organisation.objects.get(is_home=True)
    url = reverse("admin:registry_organisation_change", args=[home.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(is_home="on", plan_rule="share", plan_green_share="60", plan_amber_share="70")
    data.pop("report_logo", None)

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "plan_amber_share" in errors
    assert "above green_share" in str(errors["plan_amber_share"])
    home.refresh_from_db()
    assert home.plan_rule == "worst"


def test_the_pickers_list_items_by_reference_and_an_action_serves_outcomes_only(
    admin_client, imported_example
):
    import re

    build_plan()
    page = admin_client.get(reverse("admin:registry_planaction_add")).content.decode()
    picker = page[
        page.index('name="outcomes"') : page.index("</select>", page.index('name="outcomes"'))
    ]
    offered = re.findall(r">([^<]+?)</option>", picker)
    refs = [text.split(":")[0] for text in offered]
    assert refs == sorted(refs) and refs
    priorities = set(PlanItem.objects.filter(parent=None).values_list("ref", flat=True))
    assert not priorities & set(refs)
    item = admin_client.get(reverse("admin:registry_planitem_add")).content.decode()
    parents = item[
        item.index('name="parent"') : item.index("</select>", item.index('name="parent"'))
    ]
    listed = [t.split(":")[0] for t in re.findall(r">([^<]+?)</option>", parents) if ":" in t]
    assert listed == sorted(listed) and priorities <= set(listed)
    assert "Empty for a priority" in item
