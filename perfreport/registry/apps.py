from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "perfreport.registry"
    verbose_name = "Indicator register"
