"""Hub entries and follow-ups (an entry's `hub` and `followups`, from the FAQ files) survive everything the console
does to entries: exports, imports that add and update, Excel sheets without those columns, undoing an import, the
revision history and its restores, and the entry form. And 试一试 previews without writing or asking the model."""

from __future__ import annotations

import io
import json
import re

import yaml
from openpyxl import Workbook, load_workbook

from console import faq_io
from faq.changes import plan_import
from knowledge import KnowledgeBase
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import FAQ, ConsoleClient, make_account
from tests.llm_fakes import QUESTION

pytest_plugins = ["tests.llm_fixtures"]
KB = KnowledgeBase.load()
HUB = {"hub": True, "followups": {"cost": "arb-free", "where": "aid-apply"}}


def upload(client, name: str, data: bytes, action: str = "import"):
    return client.post(
        "/admin/faq/import",
        data={"file": (io.BytesIO(data), name), "action": action, "mode": "merge"},
        content_type="multipart/form-data",
    )


def store_of(app):
    store = app.extensions["pufa"].store
    store.faq.save({"id": "wage-where", **HUB}, "seed")
    return store


def workbook_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_exports_carry_hub_and_followups_and_importing_them_back_changes_nothing(app, admin):
    store = store_of(app)
    records = {r["id"]: r for r in yaml.safe_load(admin.get("/admin/faq/export.yaml").data)}
    assert records["wage-where"]["hub"] is True and records["wage-where"]["followups"] == HUB["followups"]
    assert "hub" not in records["arb-free"] and "followups" not in records["arb-free"]
    data = admin.get("/admin/faq/export.xlsx").data
    ws = load_workbook(io.BytesIO(data))["FAQ"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "wage-where")
    assert row[header.index("主题总入口")] == "是"
    assert row[header.index("追问（每行一条：类型: 条目编号）")].splitlines() == ["cost: arb-free", "where: aid-apply"]
    for name, blob in (("faq.yaml", admin.get("/admin/faq/export.yaml").data), ("faq.xlsx", data)):
        rows = faq_io.prepared(faq_io.read_file(name, blob))
        assert plan_import(store.faq.all(), rows).empty, name


def test_an_excel_sheet_without_the_two_columns_keeps_them_and_undo_too(app, admin):
    store = store_of(app)
    wb = Workbook()
    ws = wb.active
    ws.title = "FAQ"
    ws.append(["编号", "主题", "标准问题", "口语问法（每行一条）", "答复", "法律依据（每行一条）"])
    entry = store.faq.get("wage-where")
    ws.append(["wage-where", "欠薪讨薪", entry["question"], "\n".join(entry["variants"]), "旧表格改的答复。",
               KB.citations()[0]])  # fmt: skip
    resp = upload(admin, "old-layout.xlsx", workbook_bytes(wb))
    assert resp.status_code == 302 and resp.location.startswith("/admin/faq/imports/")
    after = store.faq.get("wage-where")
    assert after["answer"] == "旧表格改的答复。" and {k: after[k] for k in HUB} == HUB
    batch = int(resp.location.rsplit("/", 1)[1])
    assert admin.post(f"/admin/faq/imports/{batch}/undo", data={"confirmed": "1"}).status_code == 302
    undone = store.faq.get("wage-where")
    assert undone["answer"] == entry["answer"] and {k: undone[k] for k in HUB} == HUB


def test_follow_ups_changed_in_excel_show_in_the_history_and_undo_restores_them(app, admin):
    store = store_of(app)
    wb = load_workbook(io.BytesIO(admin.get("/admin/faq/export.xlsx").data))
    ws = wb["FAQ"]
    header = [c.value for c in ws[1]]
    col = header.index("追问（每行一条：类型: 条目编号）") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "wage-where")
    ws.cell(row=row, column=col).value = "cost：aid-apply"  # a full-width colon, as typed on a Chinese keyboard
    for r in range(2, ws.max_row + 1):  # the shipped fixture cites articles the test knowledge base may lack
        ws.cell(row=r, column=header.index("法律依据（每行一条）") + 1).value = KB.citations()[0]
    resp = upload(admin, "followups.xlsx", workbook_bytes(wb))
    assert resp.status_code == 302, re.findall(r"<td>(.*?)</td>", resp.get_data(as_text=True))[:9]
    assert store.faq.get("wage-where")["followups"] == {"cost": "aid-apply"}
    assert store.faq.get("wage-where")["hub"] is True
    history = admin.text("/admin/faq/wage-where/history")
    assert "追问" in history and "要不要钱（cost）→ aid-apply" in history and "去哪里办（where）→ aid-apply" in history
    batch = int(resp.location.rsplit("/", 1)[1])
    admin.post(f"/admin/faq/imports/{batch}/undo", data={"confirmed": "1"})
    assert store.faq.get("wage-where")["followups"] == HUB["followups"]


def test_follow_ups_may_name_entries_already_in_the_faq_but_not_unknown_ones(app, admin):
    store = app.extensions["pufa"].store
    row = dict(FAQ[1], legal_basis=[KB.citations()[0]], followups={"cost": "arb-free"})  # arb-free: not in the file
    resp = upload(admin, "one.yaml", yaml.safe_dump([row], allow_unicode=True).encode())
    assert resp.status_code == 302 and store.faq.get("wage-boss-fled")["followups"] == {"cost": "arb-free"}
    row = dict(row, followups={"cost": "no-such-entry", "price": "arb-free"})
    resp = upload(admin, "bad.yaml", yaml.safe_dump([row], allow_unicode=True).encode())
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "追问（cost）指向的条目不存在：no-such-entry" in page
    assert "未知的追问类型 price" in page
    assert store.faq.get("wage-boss-fled")["followups"] == {"cost": "arb-free"}


def test_the_entry_form_keeps_hub_and_follow_ups(app, admin):
    store = store_of(app)
    entry = store.faq.get("wage-where")
    revisions = len(store.faq.revisions("wage-where"))

    def form(**changes):
        data = {**entry, **changes}
        return [
            ("topic", data["topic"]),
            ("question", data["question"]),
            ("variants", "\n".join(data["variants"])),
            ("answer", data["answer"]),
            ("enabled", "1"),
            ("position", str(data["position"])),
            ("base_revision", str(store.faq.latest_revision_id("wage-where"))),
            ("confirm_citations", "1"),
            *(("legal_basis", c) for c in data["legal_basis"]),
        ]

    resp = admin.post("/admin/faq/wage-where/edit", data=form())
    assert resp.status_code == 302 and "没有改动" in admin.text(resp.location)
    assert len(store.faq.revisions("wage-where")) == revisions  # the fields the form does not edit are no change
    resp = admin.post("/admin/faq/wage-where/edit", data=form(answer="表单里改的答复。"))
    assert resp.status_code == 302
    saved = store.faq.get("wage-where")
    assert saved["answer"] == "表单里改的答复。" and {k: saved[k] for k in HUB} == HUB
    assert set(store.faq.revisions("wage-where")[0]["changes"]) == {"answer"}


def test_a_deleted_hub_entry_comes_back_whole_and_one_change_can_be_undone(app, admin):
    store = store_of(app)
    store.faq.save({"id": "wage-where", "followups": {"cost": "aid-apply"}}, "editor1")
    change = store.faq.revisions("wage-where")[0]
    page = admin.text(f"/admin/faq/wage-where/restore?revision={change['id']}&side=undo")
    assert "追问" in page and "要不要钱（cost）→ arb-free" in page
    base = re.search(r'name="base_revision" value="(\d+)"', page).group(1)
    data = {"revision": change["id"], "side": "undo", "fields": "followups", "base_revision": base}
    assert admin.post("/admin/faq/wage-where/restore", data=data).status_code == 302
    assert store.faq.get("wage-where")["followups"] == HUB["followups"]

    store.faq.delete("wage-where", "editor1")
    deletion = store.faq.revisions("wage-where")[0]
    resp = admin.post("/admin/faq/wage-where/restore", data={"revision": deletion["id"], "side": "before"})
    assert resp.status_code == 302
    back = store.faq.get("wage-where")
    assert {k: back[k] for k in HUB} == HUB


def test_restoring_a_version_from_before_hub_existed_leaves_hub_and_follow_ups_alone(app, admin):
    store = app.extensions["pufa"].store
    store.faq.save({"id": "arb-free", "answer": "旧版本的答复。"}, "editor1")
    old = store.faq.revisions("arb-free")[0]
    snapshot = {k: v for k, v in old["snapshot"].items() if k not in HUB}  # as revisions were written before m003
    db = store.db.get()
    db.execute("UPDATE faq_revisions SET snapshot = ? WHERE id = ?", [json.dumps(snapshot, ensure_ascii=False), old["id"]])
    store.faq.save({"id": "arb-free", "answer": "后来的答复。", **HUB}, "editor1")
    page = admin.text(f"/admin/faq/arb-free/restore?revision={old['id']}&side=after")
    assert "答复" in page and "主题总入口" not in page and "追问" not in page
    base = re.search(r'name="base_revision" value="(\d+)"', page).group(1)
    data = {"revision": old["id"], "side": "after", "fields": "answer", "base_revision": base}
    assert admin.post("/admin/faq/arb-free/restore", data=data).status_code == 302
    now = store.faq.get("arb-free")
    assert now["answer"] == "旧版本的答复。" and {k: now[k] for k in HUB} == HUB


def test_try_previews_without_asking_the_model_or_writing_anything(fake_llm, llm_app_factory):
    app = llm_app_factory(fake_llm.url)
    make_account(app, "editor1", "editor")
    staff = ConsoleClient(app.test_client(), "editor1")
    assert staff.login().status_code == 302
    db = app.extensions["pufa"].store.db.get()

    def rows() -> tuple[int, int]:
        return (
            db.execute("SELECT count(*) FROM consultations").fetchone()[0],
            db.execute("SELECT count(*) FROM chat_state").fetchone()[0],
        )

    before = rows()
    page = staff.text(f"/admin/faq/try?q={QUESTION}")
    assert "会先交给大模型回答" in page
    page = staff.text("/admin/faq/try?q=加班费怎么算")  # answered by the FAQ: the model is not involved
    assert "会先交给大模型回答" not in page and "平时加班不低于工资的150%" in page
    assert fake_llm.requests == [] and rows() == before
