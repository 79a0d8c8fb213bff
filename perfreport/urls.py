from django.contrib import admin
from django.urls import include, path

from perfreport.api.routes import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("odata/", include("perfreport.api.odata_urls")),
    path("", include("perfreport.web.urls")),
]

handler500 = "perfreport.web.errors.server_error"
