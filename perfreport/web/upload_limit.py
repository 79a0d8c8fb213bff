"""A size limit on a form's uploaded file, said on the form (413), never a 500.

Django keeps an uploaded file whatever its size (in memory, then in a
temporary file). This handler, put first for one view, passes nothing of a
file on once it is over the limit, so nothing past the limit is kept, while
the form's other fields are still read: the page can name the file's size
and keep what was typed. ``handler.refused_size`` then says how big it was.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# The form's other fields and the boundaries, besides the file.
ALLOWANCE = 64_000


class LimitedUpload(FileUploadHandler):
    def __init__(self, max_bytes: int, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.refused_size: int | None = None
        self.received = 0

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int, *a: Any) -> None:
        if content_length > self.max_bytes + ALLOWANCE:
            self.refused_size = content_length  # known before a byte is read

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.refused_size is None and self.received > self.max_bytes:
            self.refused_size = self.received
        return None if self.refused_size is not None else raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_limited(
    max_bytes: Callable[[], int],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view ``view(request, handler, ...)``: the handler is in
    place before the body is read, and the CSRF check (which reads it) runs
    after."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        checked = csrf_protect(view)

        @csrf_exempt  # checked by ``checked``, once the handler is in place
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            handler = LimitedUpload(max_bytes(), request)
            request.upload_handlers = [handler, *request.upload_handlers]
            return checked(request, handler, *args, **kwargs)

        return wrapper

    return decorate
