from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from perfreport.api.routes import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("odata/", include("perfreport.api.odata_urls")),
]
# Every page in English at its address and in Welsh under /cy/.
urlpatterns += i18n_patterns(
    path("", include("perfreport.web.urls")), prefix_default_language=False
)

handler500 = "perfreport.web.errors.server_error"
