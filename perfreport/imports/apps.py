from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "perfreport.imports"
    verbose_name = "Import and export"
