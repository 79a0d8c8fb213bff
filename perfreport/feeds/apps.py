from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "perfreport.feeds"
    verbose_name = "Automated feeds"

    def ready(self) -> None:
        from perfreport.feeds.job import FEED
        from perfreport.jobs.registry import register

        register(FEED)  # the Schedules page offers it, with each feed as a target
