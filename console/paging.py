"""Page numbers for the console's lists."""

from __future__ import annotations

from flask import request


def current_page(total: int, per_page: int) -> tuple[int, int]:
    """(page, pages): the ?page= asked for, kept within 1..pages; there is always at least one page."""
    pages = max(1, -(-total // per_page))
    return min(max(1, request.args.get("page", type=int, default=1)), pages), pages
