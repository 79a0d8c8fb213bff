"""The admin registrations that need the audit trail for apps below it (the
layers: docs/architecture.md): the register (``registry``) and people's roles
(``accounts``). Django's admin autodiscovery imports this package as the web
app's admin module. Each other app registers its own models in its own
``admin.py``: audit (the trail), data (values and commentary), rounds (rounds,
entries, reminders) and api (tokens)."""

from perfreport.web.admin import accounts, registry

__all__ = ["accounts", "registry"]
