"""``perfreport import`` refuses hostile and broken files (issue 13) with a
one-line message per problem and exit status 1, never a traceback."""

from __future__ import annotations

import pytest
from cli_helpers import run

from perfreport.data.models import Observation

pytestmark = pytest.mark.django_db

VALUES = "ref,period,value,commentary\n"


def test_a_quote_never_closed_is_refused_naming_the_file_and_row(tmp_path):
    (tmp_path / "values.csv").write_text(VALUES + '184,2020-10,80,"Never closed\n184,2020-11,81,\n')

    result = run("import", str(tmp_path))

    assert result.returncode == 1
    assert 'values.csv, row 2: a quote (") opens a cell in this row' in result.stderr
    assert "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert Observation.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_naming_its_size_and_the_limit(tmp_path, settings):
    settings.PERFREPORT_IMPORT_MAX_MB = 0.00004
    (tmp_path / "values.csv").write_text(VALUES + "184,2020-10,80,\n")

    result = run("import", str(tmp_path))

    assert result.returncode == 1
    assert "values.csv: is 44 bytes, over the limit of 40 bytes" in result.stderr
    assert "PERFREPORT_IMPORT_MAX_MB" in result.stderr
