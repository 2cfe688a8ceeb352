"""The one answer that is not a result: an HTTP status, a message for the client, and when it may try again."""

from __future__ import annotations


class Refused(Exception):
    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after
