"""The OData feed's addresses: the public feed at /odata/public/, the staff
feed at /odata/ (perfreport.api.odata_views). Everything below a feed's root
goes to one view, which answers what it does not have as an OData error."""

from __future__ import annotations

from django.urls import path

from perfreport.api import odata_views

app_name = "odata"
urlpatterns = [
    path("public/", odata_views.public_root, name="public_root"),
    path("public/<path:rest>", odata_views.public_resource, name="public"),
    path("", odata_views.staff_root, name="staff_root"),
    path("<path:rest>", odata_views.staff_resource, name="staff"),
]
