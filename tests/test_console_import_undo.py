"""Imports that never delete by surprise: add/update by default, 整体替换 only after the deletions were shown and
their number typed, a checked file confirmed without a second upload, every import undone in one step; rows
without an 编号 get a generated one (console and `bot.py faq import`)."""

from __future__ import annotations

import io
import re
import time

import yaml
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from bot import cli
from console import faq_transfer
from faq.ids import TOPIC_PREFIX, new_id
from faq.loader import TOPICS
from knowledge import KnowledgeBase
from storage import Store
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import FAQ, ConsoleClient, make_account

KB = KnowledgeBase.load()


def upload(client, name: str, data: bytes, action: str = "check", mode: str = "merge"):
    return client.post(
        "/admin/faq/import",
        data={"file": (io.BytesIO(data), name), "action": action, "mode": mode},
        content_type="multipart/form-data",
    )


def hidden(page: str, form_action: str = "/admin/faq/import/confirm") -> dict:
    form = page[page.index(f'action="{form_action}"') :]
    form = form[: form.index("</form>")]
    data = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
    data.pop("csrf_token", None)
    return data


def three_rows_from_export(admin) -> bytes:
    """An Excel export cut down to three rows (the header stays), one of them edited."""
    wb = load_workbook(io.BytesIO(admin.get("/admin/faq/export.xlsx").data))
    ws = wb["FAQ"]
    ws.delete_rows(5, ws.max_row)
    ws.cell(row=2, column=5).value = "部分导入改过的答复。"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_partial_excel_import_leaves_every_other_entry_in_place(app, admin, wechat):
    store = app.extensions["pufa"].store
    before = {e["id"]: e for e in store.faq.all()}
    data = three_rows_from_export(admin)
    page = upload(admin, "three.xlsx", data).get_data(as_text=True)
    assert "修改 1 条" in page and f"问答库里另有 {len(FAQ) - 3} 条不在文件里：不删除，保持原样" in page
    resp = admin.post("/admin/faq/import/confirm", data={**hidden(page), "action": "import"})
    assert resp.status_code == 302 and resp.location.startswith("/admin/faq/imports/")
    after = {e["id"]: e for e in store.faq.all()}
    assert after.keys() == before.keys()
    changed = [i for i in after if after[i]["answer"] != before[i]["answer"]]
    assert len(changed) == 1 and after[changed[0]]["answer"] == "部分导入改过的答复。"
    assert "保护令" in wechat.say("家暴保护令怎么申请")


def test_confirming_needs_no_second_upload_and_the_check_expires(app, admin, monkeypatch):
    entries = [dict(e, legal_basis=[KB.citations()[0]], answer="确认导入的答复。") for e in FAQ[:1]]
    page = upload(admin, "one.yaml", yaml.safe_dump(entries, allow_unicode=True).encode()).get_data(as_text=True)
    form = hidden(page)
    assert set(form) == {"token", "mode", "digest"}  # no file: it waits on the server
    # another admin (another session) cannot use the token
    make_account(app, "admin2", "admin")
    other = ConsoleClient(app.test_client(), "admin2")
    other.login()
    assert other.post("/admin/faq/import/confirm", data={**form, "action": "import"}).status_code == 409
    monkeypatch.setattr(faq_transfer, "HOLD_SECONDS", 0)  # half an hour later
    time.sleep(0.01)
    resp = admin.post("/admin/faq/import/confirm", data={**form, "action": "import"})
    assert resp.status_code == 409 and "检查结果已失效" in resp.get_data(as_text=True)
    assert app.extensions["pufa"].store.faq.get("wage-where")["answer"] != "确认导入的答复。"


def test_a_change_after_the_check_is_shown_again_before_importing(app, admin):
    store = app.extensions["pufa"].store
    entries = [dict(e, legal_basis=[KB.citations()[0]]) for e in FAQ if e["id"] != "dv-order"]
    page = upload(admin, "five.yaml", yaml.safe_dump(entries, allow_unicode=True).encode(), mode="replace")
    form = hidden(page.get_data(as_text=True))
    store.faq.save({"id": "aid-apply", "answer": "别人刚改的答复。"}, "someone")  # meanwhile: the import would undo it
    resp = admin.post("/admin/faq/import/confirm", data={**form, "action": "import", "confirm_count": "1"})
    assert resp.status_code == 409 and "有人改动过" in resp.get_data(as_text=True)
    assert store.faq.get("dv-order") is not None


def test_switching_to_replace_on_the_check_page(app, admin):
    entries = [dict(e, legal_basis=[KB.citations()[0]]) for e in FAQ[:2]]
    page = upload(admin, "two.yaml", yaml.safe_dump(entries, allow_unicode=True).encode()).get_data(as_text=True)
    assert "改为「整体替换」再检查" in page
    token = hidden(page)["token"]
    page = admin.post("/admin/faq/import/confirm", data={"token": token, "mode": "replace", "action": "check"})
    text = page.get_data(as_text=True)
    assert f"删除 {len(FAQ) - 2} 条" in text and "申请劳动仲裁要交钱吗？" in text
    assert f"请输入要删除的条数 <strong>{len(FAQ) - 2}</strong>" in text


def test_undo_an_import_in_one_step(app, admin, wechat):
    store = app.extensions["pufa"].store
    before = store.faq.all()
    entries = [dict(e, legal_basis=[KB.citations()[0]]) for e in FAQ if e["id"] != "dv-order"]
    entries[0]["answer"] = "导入后的答复。"
    entries.append(
        {**entries[1], "id": "", "question": "导入新增的问题？", "variants": [f"新问法{i}" for i in range(5)]}
    )
    page = upload(admin, "faq.yaml", yaml.safe_dump(entries, allow_unicode=True).encode(), mode="replace")
    resp = admin.post(
        "/admin/faq/import/confirm",
        data={**hidden(page.get_data(as_text=True)), "action": "import", "confirm_count": "1"},
    )
    result = admin.text(resp.location)
    assert "撤销本次导入" in result and "导入新增的问题？" in result and "被家暴了怎么申请人身安全保护令？" in result
    assert store.faq.get("dv-order") is None
    new = next(e for e in store.faq.all() if e["question"] == "导入新增的问题？")
    assert new["id"] == "wage-1"  # generated: the topic's prefix and the next number
    batch = int(resp.location.rsplit("/", 1)[1])
    asked = admin.post(f"/admin/faq/imports/{batch}/undo")  # without JavaScript: a page says what will happen
    assert asked.status_code == 200 and "找回导入删除的：被家暴了怎么申请人身安全保护令？" in asked.get_data(
        as_text=True
    )
    assert store.faq.get("dv-order") is None
    resp = admin.post(f"/admin/faq/imports/{batch}/undo", data={"confirmed": "1"})
    assert resp.status_code == 302
    assert sorted(e["id"] for e in store.faq.all()) == sorted(e["id"] for e in before)
    for old in before:
        now = store.faq.get(old["id"])
        assert {k: now[k] for k in ("question", "answer", "variants", "enabled")} == {
            k: old[k] for k in ("question", "answer", "variants", "enabled")
        }
    assert "保护令" in wechat.say("家暴保护令怎么申请")
    assert "已撤销本次导入" in admin.text(f"/admin/faq/imports/{batch}")
    again = admin.post(f"/admin/faq/imports/{batch}/undo", data={"confirmed": "1"})
    assert again.status_code == 302 and store.faq.get("wage-1") is None


def test_undo_keeps_entries_changed_after_the_import(app, admin):
    store = app.extensions["pufa"].store
    entries = [dict(e, legal_basis=[KB.citations()[0]], answer=f"导入的答复{i}。") for i, e in enumerate(FAQ[:2])]
    page = upload(admin, "two.yaml", yaml.safe_dump(entries, allow_unicode=True).encode(), action="import")
    batch = int(page.location.rsplit("/", 1)[1])
    store.faq.save({"id": "wage-boss-fled", "answer": "导入之后又改的答复。"}, "someone")
    result = admin.text(f"/admin/faq/imports/{batch}")
    assert "其中 1 个条目导入后又被修改过" in result
    admin.post(f"/admin/faq/imports/{batch}/undo", data={"confirmed": "1"})
    assert store.faq.get("wage-where")["answer"] == FAQ[0]["answer"]
    assert store.faq.get("wage-boss-fled")["answer"] == "导入之后又改的答复。"
    assert "没有撤销" in admin.text("/admin/faq")


def test_an_excel_row_without_an_id_is_added_with_a_generated_one(app, admin):
    wb = Workbook()
    ws = wb.active
    ws.title = "FAQ"
    ws.append(["编号", "主题", "标准问题", "口语问法（每行一条）", "答复", "法律依据（每行一条）"])
    ws.append(
        [
            "",
            "家庭暴力",
            "家暴之后可以去哪里验伤？",
            "\n".join(f"验伤问法{i}" for i in range(5)),
            "可以到医院就诊并保留病历。",
            KB.citations()[0],
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    resp = upload(admin, "new.xlsx", out.getvalue(), action="import")
    assert resp.status_code == 302
    store = app.extensions["pufa"].store
    entry = next(e for e in store.faq.all() if e["question"] == "家暴之后可以去哪里验伤？")
    assert entry["id"] == "dv-1" and entry["enabled"] is True
    assert len(store.faq.all()) == len(FAQ) + 1


def test_a_row_without_an_id_but_with_a_known_question_updates_that_entry(app, admin):
    rows = [dict(FAQ[2], id="", legal_basis=[KB.citations()[0]], answer="按问题对上的答复。")]
    upload(admin, "q.yaml", yaml.safe_dump(rows, allow_unicode=True).encode(), action="import")
    store = app.extensions["pufa"].store
    assert store.faq.get("arb-free")["answer"] == "按问题对上的答复。" and len(store.faq.all()) == len(FAQ)


def test_generated_ids_satisfy_the_loader_and_every_topic_has_a_prefix():
    from faq.loader import ID_RE

    assert set(TOPIC_PREFIX) == set(TOPICS)
    assert new_id("wage_arrears", {"wage-where", "wage-7", "wage-2"}) == "wage-8"
    assert new_id("domestic_violence", set()) == "dv-1"
    assert all(ID_RE.match(new_id(t, set())) for t in TOPICS)


# the command line


def cli_env(tmp_path, console_faq_dir) -> dict:
    return {"DATABASE_PATH": str(tmp_path / "cli.db"), "FAQ_DIR": str(console_faq_dir), "WECHAT_TOKEN": "t"}


def test_cli_import_of_three_exported_rows_leaves_the_count_unchanged(tmp_path, console_faq_dir):
    env = cli_env(tmp_path, console_faq_dir)
    runner = CliRunner()
    full = tmp_path / "full.xlsx"
    assert runner.invoke(cli, ["faq", "export", str(full)], env=env).exit_code == 0
    wb = load_workbook(full)
    wb["FAQ"].delete_rows(5, wb["FAQ"].max_row)
    wb["FAQ"].cell(row=3, column=5).value = "命令行导入改过的答复。"
    three = tmp_path / "three.xlsx"
    wb.save(three)
    result = runner.invoke(cli, ["faq", "import", str(three)], env=env)
    assert result.exit_code == 0, result.output
    assert "修改 1 条，删除 0 条，未变 2 条" in result.output
    store = Store(env["DATABASE_PATH"])
    assert store.faq.count() == len(FAQ)
    assert any(e["answer"] == "命令行导入改过的答复。" for e in store.faq.all())


def test_cli_adds_a_row_without_an_id_with_a_generated_one(tmp_path, console_faq_dir):
    env = cli_env(tmp_path, console_faq_dir)
    row = {
        "topic": "legal_aid",
        "question": "法律援助要多久批下来？",
        "variants": [f"法援多久{i}" for i in range(5)],
        "answer": "法律援助机构一般在收到申请之日起七日内作出决定。",
        "legal_basis": [KB.citations()[0]],
    }
    path = tmp_path / "new.yaml"
    path.write_text(yaml.safe_dump([row], allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["faq", "import", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert "+ 法律援助要多久批下来？（编号 aid-1）" in result.output
    store = Store(env["DATABASE_PATH"])
    assert store.faq.count() == len(FAQ) + 1 and store.faq.get("aid-1")["question"] == "法律援助要多久批下来？"


def test_cli_replace_lists_the_deletions_and_needs_a_confirmation(tmp_path, console_faq_dir):
    env = cli_env(tmp_path, console_faq_dir)
    path = tmp_path / "one.yaml"
    path.write_text(yaml.safe_dump([dict(FAQ[0], legal_basis=[KB.citations()[0]])], allow_unicode=True), "utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["faq", "import", "--replace", str(path)], env=env)  # not a terminal, no --yes
    assert result.exit_code == 1 and "加 --yes" in result.output
    assert f"整体替换将删除 {len(FAQ) - 1} 条" in result.output and "怎么申请法律援助？（aid-apply）" in result.output
    assert Store(env["DATABASE_PATH"]).faq.count() == len(FAQ)
    result = runner.invoke(cli, ["faq", "import", "--replace", "--yes", str(path)], env=env)
    assert result.exit_code == 0 and Store(env["DATABASE_PATH"]).faq.count() == 1
