from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "perfreport.registry"
    verbose_name = "Indicator register"

    def ready(self) -> None:
        # The core's words in the active language (perfreport/core/i18n.py).
        from django.utils import translation

        from perfreport.core import i18n

        i18n.install(
            translation.gettext,
            translation.ngettext,
            translation.pgettext,
            translation.get_language,
        )
