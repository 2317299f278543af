"""Revision history a person can read: word-level differences, restores that say exactly what they overwrite and
never silently undo a later, unrelated change, and an explanation for editors why restoring is for admins."""

from __future__ import annotations

import re

import rjieba

from console.textdiff import diff_words
from tests.console_fixtures import *  # noqa: F403
from tests.test_console_faq import save


def test_word_level_differences_keep_the_unchanged_text():
    old = "可以向用工所在地的人社局劳动保障监察机构投诉，或打 12333。"
    new = "可以向用工所在地的人社局劳动保障监察大队投诉，或打 12345。"
    segments = [(s.kind, s.text) for s in diff_words(old, new, rjieba.cut)]
    assert ("del", "机构") in segments and ("add", "大队") in segments
    assert ("del", "12333") in segments and ("add", "12345") in segments
    assert "".join(t for k, t in segments if k != "add") == old
    assert "".join(t for k, t in segments if k != "del") == new


def test_long_unchanged_text_is_shortened_around_the_change():
    old = "甲" * 200 + "乙" + "丙" * 200
    segments = diff_words(old, old.replace("乙", "丁"))
    kinds = [s.kind for s in segments]
    assert kinds == ["gap", "same", "del", "add", "same", "gap"]
    assert sum(len(s.text) for s in segments) < 60


def test_the_history_shows_words_changed(admin, editor):
    entry = client_store(admin).faq.get("arb-free")
    save(editor, "arb-free", answer=entry["answer"].replace("不收费", "免费"))
    page = admin.text("/admin/faq/arb-free/history")
    assert "劳动争议仲裁<del>不收费</del><ins>免费</ins>，仲裁委员会" in page
    assert "申请劳动仲裁要交钱吗？" in page  # titled by question
    assert "arb-free" not in re.sub(r'href="[^"]*"', "", page)  # no id on show


def client_store(client):
    return client.client.application.extensions["pufa"].store


def restore_from(admin, page: str, revision: int, side: str, field: str):
    """Submit the restore page `page` with only `field` ticked."""
    base = re.search(r'name="base_revision" value="(\d+)"', page).group(1)
    data = {"revision": revision, "side": side, "fields": field, "base_revision": base}
    return admin.post("/admin/faq/arb-free/restore", data=data)


def test_restoring_a_version_lists_the_later_changes_it_overwrites(app, admin, editor):
    store = app.extensions["pufa"].store
    save(editor, "arb-free", answer="第一次修改的答复。")
    first = store.faq.revisions("arb-free")[0]
    entry = store.faq.get("arb-free")
    save(editor, "arb-free", variants=[*entry["variants"], "后来加的问法"])  # later, unrelated
    page = admin.text(f"/admin/faq/arb-free/restore?revision={first['id']}&side=before")
    assert "答复" in page and "口语问法" in page
    assert "这一项此后又被修改过，恢复会覆盖这些修改" in page and "editor1" in page
    resp = restore_from(admin, page, first["id"], "before", "answer")  # only the answer: the later variant stays
    assert resp.status_code == 302
    now = store.faq.get("arb-free")
    assert now["answer"] == "劳动争议仲裁不收费，仲裁委员会的经费由财政保障。" and "后来加的问法" in now["variants"]


def test_undo_one_change_keeps_later_unrelated_changes(app, admin, editor):
    store = app.extensions["pufa"].store
    save(editor, "arb-free", answer="改错了的答复。")
    wrong = store.faq.revisions("arb-free")[0]
    entry = store.faq.get("arb-free")
    save(editor, "arb-free", variants=[*entry["variants"], "之后加的问法"])
    page = admin.text(f"/admin/faq/arb-free/restore?revision={wrong['id']}&side=undo")
    assert 'name="fields" value="answer" checked' in page and 'value="variants"' not in page
    restore_from(admin, page, wrong["id"], "undo", "answer")
    now = store.faq.get("arb-free")
    assert now["answer"] == "劳动争议仲裁不收费，仲裁委员会的经费由财政保障。" and "之后加的问法" in now["variants"]


def test_undo_of_a_field_changed_again_later_starts_unticked(app, admin, editor):
    store = app.extensions["pufa"].store
    save(editor, "arb-free", answer="第一次。")
    first = store.faq.revisions("arb-free")[0]
    save(editor, "arb-free", answer="第二次。")
    page = admin.text(f"/admin/faq/arb-free/restore?revision={first['id']}&side=undo")
    assert '<input type="checkbox" name="fields" value="answer" >' in page  # not ticked
    assert "这一项此后又被修改过，恢复会覆盖这些修改" in page


def test_a_restore_after_someone_else_changed_the_entry_asks_again(app, admin, editor):
    store = app.extensions["pufa"].store
    save(editor, "arb-free", answer="第一次。")
    first = store.faq.revisions("arb-free")[0]
    page = admin.text(f"/admin/faq/arb-free/restore?revision={first['id']}&side=before")
    base = re.search(r'name="base_revision" value="(\d+)"', page).group(1)
    save(editor, "arb-free", answer="有人刚刚又改了。")
    resp = admin.post(
        "/admin/faq/arb-free/restore",
        data={"revision": first["id"], "side": "before", "fields": "answer", "base_revision": base},
    )
    assert resp.status_code == 409 and "又被修改过" in resp.get_data(as_text=True)
    assert store.faq.get("arb-free")["answer"] == "有人刚刚又改了。"


def test_editors_see_why_restoring_is_for_admins(app, admin, editor):
    save(editor, "arb-free", answer="改一下。")
    page = editor.text("/admin/faq/arb-free/history")
    assert "恢复历史版本只有管理员能操作" in page and "admin1" in page
    assert "恢复为此版本" not in page
    rev = client_store(editor).faq.revisions("arb-free")[0]
    assert editor.get(f"/admin/faq/arb-free/restore?revision={rev['id']}&side=before").status_code == 403
