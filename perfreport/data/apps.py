from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "perfreport.data"
    verbose_name = "Values and commentary"

    def ready(self) -> None:
        from perfreport.data.versions import connect_signals

        connect_signals()
