"""The web app's one error shape, for its own errors and those of FastAPI (present stage).

Every error answer, whatever raised it (an unknown address, a page the crawl does not know,
a query parameter FastAPI's validation refuses, a refusal of the guard in
:mod:`~linkequity.present.web.security`), is ``{"error": {"status": 404, "message": "..."}}``
with that status; a validation error is a 400, not FastAPI's 422.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import Response

from linkequity.errors import StoreError
from linkequity.present.web.security import error_body

__all__ = ["ERROR_RESPONSES", "ErrorBody", "error_response", "install"]


class ErrorDetail(BaseModel):
    """What went wrong: the HTTP status and one sentence."""

    status: int
    message: str


class ErrorBody(BaseModel):
    """The app's one error shape."""

    error: ErrorDetail


#: The error answers every route may give, for the OpenAPI description.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "A query parameter is missing or not valid."),
        (403, "The token is missing or wrong (when the server needs one)."),
        (404, "No such address, or no such page in the crawl."),
        (405, "A method other than GET or HEAD."),
        (421, "The Host header names another address than the server's."),
        (500, "An unexpected error (the server's log says what it was)."),
        (503, "The project file cannot be read now (removed, or an analysis is writing it)."),
    )
}
_DEFAULTS = {
    404: "There is nothing at this address.",
    405: "This app is read-only: GET and HEAD only.",
}


def error_response(status: int, message: str) -> Response:
    """An error answer in the app's shape."""
    return Response(error_body(status, message), status, media_type="application/json")


def _validation_message(exc: RequestValidationError) -> str:
    first = exc.errors()[0]
    where = [str(part) for part in first.get("loc", ())]
    kind = where[0] if where else "request"
    name = where[-1] if len(where) > 1 else ""
    noun = {"query": "query parameter", "path": "path parameter"}.get(kind, kind)
    if first.get("type") == "missing":
        return f"The {noun} {name} is missing."
    return f"The {noun} {name} is not valid: {first.get('msg', 'invalid value')}."


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` in the one shape."""

    async def http_error(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, HTTPException):  # registered for it alone
            raise exc
        detail = exc.detail if isinstance(exc.detail, str) else ""
        standard = detail in ("", "Not Found", "Method Not Allowed")
        message = _DEFAULTS.get(exc.status_code, detail) if standard else detail
        return error_response(exc.status_code, message or "The request cannot be answered.")

    async def invalid(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, RequestValidationError):  # registered for it alone
            raise exc
        return error_response(400, _validation_message(exc))

    async def store_error(request: Request, exc: Exception) -> Response:
        # the project file changed under the app (an analysis running, a file removed)
        return error_response(503, str(exc))

    async def unexpected(request: Request, exc: Exception) -> Response:
        # Starlette answers with this, then raises the error again for the server's log
        return error_response(500, "An unexpected error stopped this request; the server's "
                              "log says what it was.")  # fmt: skip

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StoreError, store_error)
