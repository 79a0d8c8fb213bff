"""django.contrib.admin as INSTALLED_APPS names it here: with perfreport's
admin site, which the BI administrator role opens (a module of its own: in
apps.py, a second AppConfig would hide the accounts app's own)."""

from django.contrib.admin.apps import AdminConfig


class RolesAdminConfig(AdminConfig):
    default_site = "perfreport.accounts.admin.RolesAdminSite"
