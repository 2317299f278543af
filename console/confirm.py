"""A confirmation step for destructive actions that works with and without JavaScript.

A destructive form carries `data-confirm="…"`: console.js asks in a dialog and adds `confirmed=1` before sending.
Without JavaScript the form arrives without it, and the view returns `ask_first(...)`: a page that says what will
happen and posts the same fields again with `confirmed=1`. Either way nothing happens before a second click.
"""

from __future__ import annotations

from flask import render_template, request

from console.access import safe_next


def confirmed() -> bool:
    return request.form.get("confirmed") == "1"


def ask_first(title: str, message: str, button: str, items: list[str] | None = None, more: int = 0):
    """The confirmation page for this POST (re-posting its fields with confirmed=1)."""
    fields = [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirmed")]
    back = request.referrer or ""
    back = safe_next(back[back.find("/admin") :] if "/admin" in back else "") or "/admin/"
    return render_template(
        "confirm.html",
        title=title,
        message=message,
        button=button,
        items=items or [],
        more=more,
        fields=fields,
        action=request.path,
        back=back,
    )
