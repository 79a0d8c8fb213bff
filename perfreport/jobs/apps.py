from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "perfreport.jobs"
    verbose_name = "Background and scheduled work"

    def ready(self) -> None:
        from perfreport.jobs.registry import register
        from perfreport.jobs.tidy import TIDY

        register(TIDY)
