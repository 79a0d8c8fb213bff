from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "perfreport.accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_language_on_sign_in, dispatch_uid="perfreport-language")


def _language_on_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Someone who signs in on the Welsh pages reads Welsh: their emails
    should be in it (the cookie already says cy, so RememberLanguage would
    not see a change). Only a language other than the site's is saved here:
    single sign-on always comes back to the English callback address, which
    says nothing of the language its reader chose."""
    from django.conf import settings

    from perfreport.accounts.languages import known_language, language_set

    # The language of the request signed in on (LocaleMiddleware sets it),
    # not whatever the thread last used: a sign-in made outside a request's
    # pages (Client.force_login, a script) says nothing of a language.
    language = known_language(getattr(request, "LANGUAGE_CODE", None))
    if language is None or language == settings.LANGUAGE_CODE:
        return
    if request is not None and user is not None and user.pk:
        language_set(user, language)
