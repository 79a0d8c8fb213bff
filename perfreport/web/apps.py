from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "perfreport.web"
    verbose_name = "Web pages"

    def ready(self) -> None:
        from perfreport.web import checks  # noqa: F401  (registers the system checks)
