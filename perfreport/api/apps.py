from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "perfreport.api"
    verbose_name = "HTTP API"
