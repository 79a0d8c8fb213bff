"""Strict readers for settings from the environment.

Each takes the environment as a mapping, so it is a pure function with its
own tests; each names the variable and the bad value instead of guessing.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["SettingError", "env_bool", "env_int", "env_list", "env_str"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingError(ValueError):
    """A setting in the environment that cannot be used as it is."""


def env_str(environ: Mapping[str, str], name: str, default: str) -> str:
    value = environ.get(name, "").strip()
    return value or default


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise SettingError(
        f"{name}={raw!r} is not a yes/no value: use one of 1, 0, true, false, yes, no, on, off"
    )


def env_int(environ: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a whole number from {low} to {high}") from None
    if not low <= value <= high:
        raise SettingError(f"{name}={raw!r} is out of range: expected {low} to {high}")
    return value


def env_list(environ: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = environ.get(name, "").strip()
    if not raw:
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise SettingError(f"{name}={raw!r} has an empty item: separate values with single commas")
    return items
