from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "perfreport.feeds"
    verbose_name = "Automated feeds"
