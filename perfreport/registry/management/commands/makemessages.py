"""``makemessages`` that also finds the core's ``N_("...")`` marks.

The core marks module-level tables with ``N_`` (perfreport/core/i18n.py),
which xgettext does not know as a keyword for Python; without this the
catalogue would miss every period, rating and change word the core keeps in
a table.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
