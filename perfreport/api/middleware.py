"""The API answers JSON whatever goes wrong: an address it does not have
(404), a method an address does not take (405), an address too long (414).
A server error's JSON is :func:`perfreport.web.errors.server_error`'s."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

PREFIX = "/api/"
# Below gunicorn's request line limit (4094 bytes), so that an address too
# long for the API is answered here, in JSON, before the server answers it.
MAX_ADDRESS = 4000
DETAILS = {
    404: "Not Found: the API has no such address; see /api/docs",
    405: "Method Not Allowed",
}


class ApiAnswersJson:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if len(request.get_full_path()) > MAX_ADDRESS:
            detail = f"URI Too Long: an API address is at most {MAX_ADDRESS} characters"
            return JsonResponse({"detail": detail}, status=414)
        response = self.get_response(request)
        if response.status_code in DETAILS and not _is_json(response):
            return _as_json(response)
        return response


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


def _as_json(response: HttpResponse) -> HttpResponse:
    answer = JsonResponse({"detail": DETAILS[response.status_code]}, status=response.status_code)
    if "Allow" in response:
        answer["Allow"] = response["Allow"]
    return answer
