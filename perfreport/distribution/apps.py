from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "perfreport.distribution"
    verbose_name = "Report distribution"
