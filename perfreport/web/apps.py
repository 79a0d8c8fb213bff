from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "perfreport.web"
    verbose_name = "Web pages"
