"""Every answer carries a Content-Security-Policy that allows no inline
script, read-only pages refuse the methods they do not take, and HTTPS in the
environment believes a forwarded protocol only behind the trusted proxy."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db

STAFF = ["/scorecard/", "/scorecard.json", "/indicators/180/", "/reports/", "/work/", "/rounds/",
         "/indicators/180/history/"]  # fmt: skip
PUBLIC = ["/", "/public/", "/public.json", "/public/indicators/180/", "/public/reports/",
          "/open-data/", "/accounts/login/", "/api/docs", "/api/indicators"]  # fmt: skip
READ_ONLY = ["/", "/public/", "/public.json", "/public/indicators/180/", "/public/reports/",
             "/open-data/", "/open-data/values.csv", "/indicators/180/data.csv"]  # fmt: skip
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def policy(response) -> dict[str, str]:
    directives = (d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    return {name: rest for name, rest in directives}


@pytest.mark.parametrize("url", STAFF + PUBLIC)
def test_every_page_has_a_policy_without_inline_script(staff_client, imported_example, url):
    response = staff_client.get(url, follow=True)

    assert response.status_code == 200
    rules = policy(response)
    assert rules["default-src"] == "'self'"
    assert rules["script-src"] == "'self'"
    assert rules["frame-ancestors"] == "'none'"
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html)


def test_errors_and_the_admin_have_the_policy_too(admin_client, imported_example):
    assert "Content-Security-Policy" in admin_client.get("/public/indicators/NOPE/")
    assert "Content-Security-Policy" in admin_client.get("/admin/")


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
@pytest.mark.parametrize("url", [*STAFF, *READ_ONLY])
def test_a_read_only_page_refuses_other_methods(staff_client, imported_example, url, method):
    response = getattr(staff_client, method)(url)

    assert response.status_code == 405
    assert "GET" in response["Allow"] and "PUT" not in response["Allow"]


def test_a_read_only_page_still_answers_head(staff_client, imported_example):
    assert staff_client.head("/public/").status_code == 200


IS_SECURE = """
import django
django.setup()
from django.test import RequestFactory
print(RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https").is_secure())
"""


def is_secure_with(**env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "PERFREPORT_TRUSTED_PROXY_HEADER"}
    environ |= {"DJANGO_SETTINGS_MODULE": "perfreport.settings", **env}
    done = subprocess.run(
        [sys.executable, "-c", IS_SECURE], env=environ, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_https_alone_does_not_believe_a_forwarded_protocol():
    assert is_secure_with(HTTPS="1") == "False"


def test_https_behind_the_trusted_proxy_believes_its_forwarded_protocol():
    assert is_secure_with(HTTPS="1", PERFREPORT_TRUSTED_PROXY_HEADER="X-Forwarded-For") == "True"
