from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "perfreport.sso"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        from perfreport.sso import checks  # noqa: F401  (registers the system checks)
