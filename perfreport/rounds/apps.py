from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "perfreport.rounds"
    verbose_name = "Quarterly rounds"
