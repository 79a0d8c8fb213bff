"""Report settings from a TOML file (``perfreport report --config FILE``).

```toml
organisation = "Anyshire County Council"
title = "Quarterly Performance Report"
directorate = "Place and Economy"
team = "Performance and Insight"
contact = "performance@anyshire.gov.uk"
logo = "logo.png"            # relative to this file
sections = ["cover", "summary", "key", "indicators"]
```

Every key is optional. ``title``, ``team`` and ``contact`` override the home
organisation's report settings (organisations.csv, the admin); an empty
``team = ""`` leaves the team line out.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from perfreport.reports.context import SECTIONS, ReportSettings

TEXT_KEYS = ("organisation", "title", "directorate", "team", "contact")
KEYS = (*TEXT_KEYS, "logo", "sections", "produced_on")


class ConfigError(ValueError):
    """A report configuration that cannot be used; the message names the key."""


def load_settings(path: Path) -> ReportSettings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it ({error.strerror or error})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    return settings_from(data, path)


def settings_from(data: dict[str, Any], path: Path) -> ReportSettings:
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) {', '.join(unknown)}; the keys are {', '.join(KEYS)}"
        )
    settings = ReportSettings()
    for key in TEXT_KEYS:
        if key in data:
            if not isinstance(data[key], str):
                raise ConfigError(f"{path}: {key} must be text in quotes")
            settings = replace(settings, **{key: data[key]})
    if "sections" in data:
        settings = replace(settings, sections=_sections(data["sections"], path))
    if "logo" in data:
        logo = (path.parent / str(data["logo"])).resolve()
        if not logo.is_file():
            raise ConfigError(f"{path}: logo {data['logo']!r} is not a file (looked for {logo})")
        if logo.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
            raise ConfigError(f"{path}: logo must be a .png, .jpg or .svg file")
        settings = replace(settings, logo=logo)
    if "produced_on" in data:
        value = data["produced_on"]
        if not isinstance(value, date):
            raise ConfigError(f"{path}: produced_on must be a date such as 2020-12-16 (no quotes)")
        settings = replace(settings, produced_on=value)
    return settings


def _sections(value: Any, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
        raise ConfigError(f"{path}: sections must be a list such as {list(SECTIONS)}")
    bad = [v for v in value if v not in SECTIONS]
    if bad:
        raise ConfigError(
            f"{path}: unknown section(s) {', '.join(bad)}; choose from {', '.join(SECTIONS)}"
        )
    if len(set(value)) != len(value):
        raise ConfigError(f"{path}: sections lists a section twice")
    return tuple(value)
