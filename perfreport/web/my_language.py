"""Your language: the one perfreport's emails to you are written in. Reading
the pages in a language while signed in sets it too (RememberLanguage); this
page sets it on purpose, and shows it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from perfreport.accounts.forms import LanguageForm
from perfreport.accounts.languages import language_of
from perfreport.rounds import people as service
from perfreport.web.access import actor_of


@login_required
@require_http_methods(["GET", "POST"])
def my_language(request: HttpRequest) -> HttpResponse:
    """GET: the form, with the language chosen; POST: save it, then show
    this page in it (its address in that language)."""
    if request.method != "POST":
        form = LanguageForm(initial={"language": language_of(request.user)})
        return render(request, "web/my_language.html", {"form": form, "nav": "language"})
    form = LanguageForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "nav": "language"}
        return render(request, "web/my_language.html", context, status=400)
    language = form.cleaned_data["language"]
    service.person_set_language(actor_of(request), user=request.user, language=language)
    with translation.override(language):
        messages.success(
            request,
            _("Your emails will be in English.")
            if language != "cy"
            else _("Your emails will be in Welsh."),
        )
        response = HttpResponseRedirect(reverse("web:my_language"))
    response.status_code = 303
    return response
