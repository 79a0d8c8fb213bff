"""/api/docs: Swagger UI in a page of our own (perfreport/api/templates/api/
swagger.html), which gives it what every page has: a language, a main
landmark and a heading, so that it passes axe like the rest of the site.

Deep links are off: Swagger UI draws each operation's path as a link inside
the button that opens it (a control inside a control, and a target smaller
than 24 pixels); its colours that fall short of AA are darkened in
perfreport/api/static/api/docs.css."""

from __future__ import annotations

from ninja.openapi.docs import Swagger


class AccessibleSwagger(Swagger):
    template = "api/swagger.html"

    def __init__(self) -> None:
        super().__init__(settings={"deepLinking": False})
