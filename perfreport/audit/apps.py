from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "perfreport.audit"
    verbose_name = "Audit trail"
