from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "perfreport.sso"
    verbose_name = "Single sign-on"
