from __future__ import annotations

import pytest
from browser import PASSWORD


@pytest.fixture
def staff_user(db):
    """A signed-in member of staff's account (not a Django admin)."""
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant

    user = User.objects.create_user("analyst", "analyst@example.org", PASSWORD)
    grant(user, "viewer")
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
