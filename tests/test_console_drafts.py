"""An expired login never loses typed work: the save is refused in plain words (登录已过期, never "CSRF"), what was
typed is kept, and after logging in again the same page opens with it filled back in."""

from __future__ import annotations

import re
import time

from knowledge import KnowledgeBase
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import PASSWORD, csrf_token

KB = KnowledgeBase.load()
TYPED = "登录过期前辛辛苦苦写的新答复，一个字都不能丢。"


def edit_form(store, token: str | None) -> dict:
    entry = store.faq.get("arb-free")
    data = {
        "topic": entry["topic"],
        "question": entry["question"],
        "variants": "\n".join(entry["variants"]),
        "answer": TYPED,
        "legal_basis": entry["legal_basis"][0],
        "enabled": "1",
        "position": "0",
        "base_revision": str(store.faq.latest_revision_id("arb-free")),
    }
    if token:
        data["csrf_token"] = token
    return data


def expire(client, app) -> None:
    """The login runs out: its server-side session passes its expiry (the cookie still carries the token)."""
    app.extensions["pufa"].store.db.get().execute(
        "UPDATE console_sessions SET expires = ? WHERE account = 'admin1'", [time.time() - 1]
    )


def login(client, next_url: str):
    return client.post(
        "/admin/login",
        data={"name": "admin1", "password": PASSWORD, "csrf_token": csrf_token(client), "next": next_url},
    )


def test_a_save_after_the_login_expired_keeps_the_text(app, admin):
    store = app.extensions["pufa"].store
    token = admin.token
    expire(admin.client, app)
    referer = "http://localhost/admin/faq/arb-free/edit"
    resp = admin.client.post("/admin/faq/arb-free/edit", data=edit_form(store, token), headers={"Referer": referer})
    assert resp.status_code == 302 and resp.location.startswith("/admin/login?next=")
    assert store.faq.get("arb-free")["answer"] != TYPED  # nothing saved
    page = admin.client.get(resp.location).get_data(as_text=True)
    assert "登录已过期" in page and "您刚才填写的内容已经保存" in page and "CSRF" not in page
    next_url = re.search(r'name="next" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert next_url.startswith("/admin/faq/arb-free/edit?draft=")
    resp = login(admin.client, next_url)
    assert resp.status_code == 302 and resp.location == next_url
    form = admin.client.get(next_url).get_data(as_text=True)
    assert TYPED in form and "已填回登录过期前您填写的内容" in form
    # saving it now works, and the draft was read once
    admin._token = None
    assert admin.post("/admin/faq/arb-free/edit", data=edit_form(store, None)).status_code == 302
    assert store.faq.get("arb-free")["answer"] == TYPED
    assert "已填回" not in admin.client.get(next_url).get_data(as_text=True)


def test_an_expired_page_says_so_in_plain_words_and_offers_the_login(app, admin):
    store = app.extensions["pufa"].store
    admin.client.post("/admin/logout", data={"csrf_token": admin.token})  # e.g. the session ended elsewhere
    resp = admin.client.post(
        "/admin/faq/arb-free/edit",
        data=edit_form(store, "stale-token"),
        headers={"Referer": "http://localhost/admin/faq/arb-free/edit"},
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "登录已过期" in page and "CSRF" not in page
    assert 'action="/admin/login"' in page and "您填写的内容已经保存" in page
    next_url = re.search(r'name="next" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    cookie = resp.headers.get("Set-Cookie", "")
    assert "pufa_draft=" in cookie and "HttpOnly" in cookie
    login(admin.client, next_url)
    assert TYPED in admin.client.get(next_url).get_data(as_text=True)


def test_a_draft_opens_only_in_the_browser_that_typed_it(app, admin, editor):
    store = app.extensions["pufa"].store
    admin.client.post("/admin/logout", data={"csrf_token": admin.token})
    resp = admin.client.post(
        "/admin/faq/arb-free/edit",
        data=edit_form(store, "stale"),
        headers={"Referer": "http://localhost/admin/faq/arb-free/edit"},
    )
    next_url = re.search(r'name="next" value="([^"]+)"', resp.get_data(as_text=True)).group(1).replace("&amp;", "&")
    assert TYPED not in editor.text(next_url)  # someone else with the link: no cookie, no draft


def test_passwords_are_never_kept(app, admin):
    expire(admin.client, app)
    admin.client.post(
        "/admin/users",
        data={
            "name": "newbie",
            "role": "editor",
            "password": "secret-pass-1",
            "confirm": "secret-pass-1",
            "csrf_token": admin.token,
        },
    )
    rows = app.extensions["pufa"].store.db.get().execute("SELECT fields FROM form_drafts").fetchall()
    assert rows and all("secret-pass-1" not in r[0] for r in rows) and "newbie" in rows[0][0]


def test_the_json_api_gets_no_redirect(app, admin):
    expire(admin.client, app)
    resp = admin.client.get("/admin/api/try?q=x")
    assert resp.status_code == 401 and resp.json["error"] == "unauthorized"
