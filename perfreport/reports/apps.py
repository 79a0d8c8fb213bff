from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "perfreport.reports"
    verbose_name = "Reports"
