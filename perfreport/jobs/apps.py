from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "perfreport.jobs"
    verbose_name = "Background and scheduled work"
