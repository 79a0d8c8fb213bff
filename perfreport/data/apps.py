from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "perfreport.data"
    verbose_name = "Values and commentary"
