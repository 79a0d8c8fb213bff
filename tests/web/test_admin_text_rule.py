"""The text rule in the admin: a control character in commentary or a title
is refused in the form, the field named, nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from perfreport.data.models import Commentary

pytestmark = pytest.mark.django_db


def test_a_control_character_in_commentary_is_refused_in_the_admin(admin_client, imported_example):
    commentary = Commentary.objects.exclude(text="").order_by("pk").first()
    was = commentary.text
    url = reverse("admin:data_commentary_change", args=[commentary.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    if not commentary.is_draft:
        data.pop("is_draft", None)  # an unticked box is not sent
    data["text"] = "Pasted\x0bfrom Word"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "This text holds a control character (U+000B)" in response.content.decode()
    commentary.refresh_from_db()
    assert commentary.text == was
