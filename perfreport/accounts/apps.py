from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "perfreport.accounts"
    verbose_name = "People and roles"
