from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "perfreport.rounds"
    verbose_name = "Quarterly rounds"

    def ready(self) -> None:
        from perfreport.jobs.registry import register
        from perfreport.rounds.jobs import REMINDERS

        register(REMINDERS)  # the Schedules page offers it; `perfreport remind` stays for cron
