from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "perfreport.distribution"
    verbose_name = "Report distribution"

    def ready(self) -> None:
        from perfreport.distribution.job import register_job

        register_job()
