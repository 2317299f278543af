"""Import and export of the whole FAQ (YAML and Excel): round trips, row-by-row validation, all or nothing."""

import io
import re

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from bot import cli
from console import faq_io
from faq.loader import load_entries
from knowledge import KnowledgeBase
from settings import Settings
from storage import Store
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import FAQ, write_faq

KB = KnowledgeBase.load()


def upload(client, name: str, data: bytes, action: str = "import"):
    return client.post(
        "/admin/faq/import",
        data={"file": (io.BytesIO(data), name), "action": action},
        content_type="multipart/form-data",
    )


def snapshot(app):
    store = app.extensions["pufa"].store
    return store.faq.all(), store.db.get().execute("SELECT count(*) FROM faq_revisions").fetchone()[0]


def awkward_edits(store):
    """Edits that stress a round trip: order, a disabled entry, odd characters, multi-line text."""
    store.faq.save({"id": "arb-free", "position": 42, "enabled": False}, "t")
    entry = store.faq.get("wage-where")
    store.faq.save(
        {
            "id": "wage-where",
            "answer": "=SUM(A1) 开头像公式\n第二行：冒号、引号\"和'单引号'  \n\n\t空行之后",
            "variants": [*entry["variants"], "带分号；的问法", "yes", "123", "- 像列表"],
        },
        "t",
    )


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_export_then_import_changes_nothing(app, admin, fmt):
    awkward_edits(app.extensions["pufa"].store)
    before = snapshot(app)
    resp = admin.get(f"/admin/faq/export.{fmt}")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    checked = upload(admin, f"faq.{fmt}", resp.data, action="check")
    assert "导入不会有任何改动" in checked.get_data(as_text=True)
    resp = upload(admin, f"faq.{fmt}", resp.data)
    assert resp.status_code == 302
    assert "完全相同" in admin.text("/admin/faq")
    assert snapshot(app) == before  # same entries, no new revision


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_the_shipped_faq_survives_a_round_trip(fmt):
    entries = [{**e, "enabled": True, "position": i} for i, e in enumerate(load_entries(Settings().FAQ_DIR))]
    data = faq_io.dump_yaml(entries).encode() if fmt == "yaml" else faq_io.dump_xlsx(entries, KB)
    parsed = faq_io.read_file(f"faq.{fmt}", data)
    assert faq_io.prepared(parsed) == entries


def test_the_yaml_export_is_readable_and_diffable(app, admin):
    text = admin.get("/admin/faq/export.yaml").get_data(as_text=True)
    assert text.startswith("# 普法小助手 FAQ 导出")
    assert "- id: wage-where\n  topic: wage_arrears\n" in text
    assert "被拖欠工资，可以去哪里投诉？" in text  # unicode, not \u escapes
    assert len(yaml.safe_load(text)) == len(FAQ)


def test_the_excel_export_has_headers_topics_and_citations(admin):
    wb = load_workbook(io.BytesIO(admin.get("/admin/faq/export.xlsx").data))
    ws = wb["FAQ"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["编号", "主题", "标准问题"]
    assert ws.cell(row=2, column=2).value in ("欠薪讨薪", "仲裁和诉讼", "法律援助", "拒不支付劳动报酬罪", "家庭暴力")
    assert "主题" in wb.sheetnames and "法律依据" in wb.sheetnames
    assert wb["法律依据"].cell(row=2, column=1).value == KB.citations()[0]


def test_formulas_are_kept_as_text_in_excel(app, admin):
    awkward_edits(app.extensions["pufa"].store)
    wb = load_workbook(io.BytesIO(admin.get("/admin/faq/export.xlsx").data))
    answers = [row[4].value for row in wb["FAQ"].iter_rows(min_row=2)]
    cell = next(a for a in answers if a.startswith("=SUM"))
    assert cell.startswith("=SUM(A1) 开头像公式")


def yaml_bytes(entries) -> bytes:
    return yaml.safe_dump(entries, allow_unicode=True, sort_keys=False).encode()


def test_import_errors_are_listed_row_by_row_and_nothing_changes(app, admin):
    before = snapshot(app)
    entries = [dict(e) for e in FAQ]
    entries[0] = {**entries[0], "legal_basis": [KB.citations()[0]]}
    entries[1] = {**entries[1], "variants": ["只有一条"]}
    entries[3] = {**entries[3], "legal_basis": ["《劳动法》第999条"], "topic": "astrology"}
    entries.append({**entries[2], "answer": "重复的编号"})
    resp = upload(admin, "bad.yaml", yaml_bytes(entries))
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "没有导入" in page
    assert "第2条" in page and "口语问法至少 5 条" in page
    assert "第4条" in page and "未知主题 astrology" in page and "法律依据不在知识库中：《劳动法》第999条" in page
    assert "第7条" in page and "编号与第3条重复" in page
    assert "第1条" not in page and "第3条</td>" not in page
    assert snapshot(app) == before


def test_excel_errors_name_the_spreadsheet_row(app, admin):
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "主题", "标准问题", "口语问法（每行一条）", "答复", "法律依据（每行一条）", "启用", "排序"])
    good = FAQ[0]
    ws.append(
        [
            good["id"],
            "欠薪讨薪",
            good["question"],
            "\n".join(good["variants"]),
            good["answer"],
            KB.citations()[0],
            "是",
            1,
        ]
    )
    ws.append([])  # blank rows are skipped
    ws.append(["bad id", "wage_arrears", "问题", "一\n二", "答", "", "否", "x"])
    out = io.BytesIO()
    wb.save(out)
    before = snapshot(app)
    page = upload(admin, "bad.xlsx", out.getvalue()).get_data(as_text=True)
    assert "第4行" in page and "编号 bad id 不对：只能用小写英文字母" in page and "缺少法律依据" in page
    assert "排序号不是整数" in page and "第2行" not in page
    assert snapshot(app) == before


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("faq.txt", b"hello", "只能导入 .yaml / .yml 或 .xlsx 文件"),
        ("faq.xlsx", b"not a zip file", "无法读取 Excel 文件"),
        ("faq.yaml", b"- id: [unclosed", "YAML 格式错误"),
        ("faq.yaml", b"id: just-a-mapping", "应当是条目列表"),
        ("faq.yaml", "- 一行字\n".encode(), "不是“字段: 值”的形式"),
        ("faq.yaml", b"[]", "文件里没有任何条目"),
    ],
)
def test_unreadable_files_are_refused(app, admin, name, data, message):
    before = snapshot(app)
    resp = upload(admin, name, data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert snapshot(app) == before


def test_import_adds_and_changes_and_deletes_nothing_by_default(app, admin, wechat):
    entries = [dict(e, legal_basis=[KB.citations()[0]]) for e in FAQ if e["id"] != "dv-order"]
    entries[0]["answer"] = "导入后的答复。"
    entries.append(
        {**entries[1], "id": "wage-new", "question": "新条目？", "variants": [f"新问法{i}" for i in range(5)]}
    )
    page = upload(admin, "faq.yaml", yaml_bytes(entries), action="check").get_data(as_text=True)
    assert "新增 1 条" in page and "新条目？" in page and "修改" in page
    assert "问答库里另有 1 条不在文件里：不删除，保持原样" in page
    assert "删除 1 条" not in page
    assert app.extensions["pufa"].store.faq.get("wage-where")["answer"] != "导入后的答复。"  # a check changes nothing
    upload(admin, "faq.yaml", yaml_bytes(entries))
    store = app.extensions["pufa"].store
    assert store.faq.get("dv-order") is not None and store.faq.get("wage-new") is not None
    assert store.faq.revisions("wage-where")[0]["action"] == "import"
    assert store.faq.revisions("wage-where")[0]["author"] == "admin1"
    assert "导入后的答复。" in wechat.say("欠薪找哪个单位投诉")
    assert "保护令" in wechat.say("家暴保护令怎么申请")


def confirm_form(page: str, **fields) -> dict:
    """The hidden fields of the check page's confirmation form, plus `fields`."""
    form = page[page.index('action="/admin/faq/import/confirm"') :]
    form = form[: form.index("</form>")]
    data = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
    data.pop("csrf_token", None)
    return {**data, "action": "import", **fields}


def test_replace_lists_the_deletions_by_question_and_needs_their_number(app, admin, wechat):
    entries = [dict(e, legal_basis=[KB.citations()[0]]) for e in FAQ if e["id"] != "dv-order"]
    store = app.extensions["pufa"].store
    for action in ("check", "import"):  # 「检查并导入」 never deletes without the confirmation either
        resp = admin.post(
            "/admin/faq/import",
            data={"file": (io.BytesIO(yaml_bytes(entries)), "faq.yaml"), "action": action, "mode": "replace"},
            content_type="multipart/form-data",
        )
        page = resp.get_data(as_text=True)
        assert resp.status_code == 200 and "删除 1 条" in page and "被家暴了怎么申请人身安全保护令？" in page
        assert "dv-order" not in page  # questions, not ids
        assert store.faq.get("dv-order") is not None
    resp = admin.post("/admin/faq/import/confirm", data=confirm_form(page, confirm_count="2"))
    assert resp.status_code == 422 and "请输入要删除的条数 1" in resp.get_data(as_text=True)
    assert store.faq.get("dv-order") is not None
    resp = admin.post("/admin/faq/import/confirm", data=confirm_form(page, confirm_count="1"))
    assert resp.status_code == 302
    assert store.faq.get("dv-order") is None
    assert "保护令" not in (wechat.say("家暴保护令怎么申请") or "")
    # the held file is used once
    again = admin.post("/admin/faq/import/confirm", data=confirm_form(page, confirm_count="1"))
    assert again.status_code == 409 and "请重新选择文件" in again.get_data(as_text=True)


def test_an_import_is_all_or_nothing(app, monkeypatch):
    store = app.extensions["pufa"].store
    before = store.faq.all()
    entries = [dict(e, legal_basis=[KB.citations()[0]], answer="全部改掉。") for e in FAQ]
    parsed = faq_io.read_file("faq.yaml", yaml_bytes(entries))
    calls = []
    real_write = type(store.faq)._write

    def failing_write(self, db, entry, author):
        calls.append(entry["id"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_write(self, db, entry, author)

    monkeypatch.setattr(type(store.faq), "_write", failing_write)
    with pytest.raises(RuntimeError):
        faq_io.import_entries(store, parsed, "t")
    assert store.faq.all() == before
    assert store.db.get().execute("SELECT count(*) FROM faq_revisions").fetchone()[0] == 0


def test_editors_cannot_import(editor):
    assert upload(editor, "faq.yaml", yaml_bytes(FAQ)).status_code == 403


# the command line


@pytest.fixture
def cli_env(tmp_path, console_faq_dir):
    return {"DATABASE_PATH": str(tmp_path / "cli.db"), "FAQ_DIR": str(console_faq_dir), "WECHAT_TOKEN": "t"}


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_cli_export_import_round_trip(tmp_path, cli_env, fmt):
    runner = CliRunner()
    path = tmp_path / f"out.{fmt}"
    result = runner.invoke(cli, ["faq", "export", str(path)], env=cli_env)
    assert result.exit_code == 0, result.output
    assert f"已导出 {len(FAQ)} 条" in result.output
    result = runner.invoke(cli, ["faq", "import", str(path)], env=cli_env)
    assert result.exit_code == 0, result.output
    assert f"未变 {len(FAQ)} 条" in result.output
    assert Store(cli_env["DATABASE_PATH"]).db.get().execute("SELECT count(*) FROM faq_revisions").fetchone()[0] == 0


def test_cli_import_reports_problems_and_imports_nothing(tmp_path, cli_env):
    path = tmp_path / "bad.yaml"
    path.write_bytes(yaml_bytes([{**FAQ[0], "variants": []}]))
    result = CliRunner().invoke(cli, ["faq", "import", str(path)], env=cli_env)
    assert result.exit_code == 1
    assert "第1条\t被拖欠工资，可以去哪里投诉？\t口语问法至少 5 条" in result.output
    assert "没有导入任何内容" in result.output


def test_cli_import_check_and_import(tmp_path, cli_env):
    entries = [dict(e, legal_basis=[KB.citations()[0]]) for e in FAQ[:2]]
    path = tmp_path / "two.yaml"
    path.write_bytes(yaml_bytes(entries))
    runner = CliRunner()
    result = runner.invoke(cli, ["faq", "import", "--check", "--replace", str(path)], env=cli_env)
    assert "将新增 0 条" in result.output and f"删除 {len(FAQ) - 2} 条" in result.output
    assert "申请劳动仲裁要交钱吗？" in result.output  # the deletions are listed by question
    assert Store(cli_env["DATABASE_PATH"]).faq.count() == len(FAQ)
    result = runner.invoke(cli, ["faq", "import", "--replace", "--yes", "--author", "张三", str(path)], env=cli_env)
    assert result.exit_code == 0 and "已新增" in result.output
    store = Store(cli_env["DATABASE_PATH"])
    assert store.faq.count() == 2
    assert store.faq.revisions("aid-apply")[0]["author"] == "张三"


def test_cli_refuses_unknown_extensions(tmp_path, cli_env):
    result = CliRunner().invoke(cli, ["faq", "export", str(tmp_path / "faq.csv")], env=cli_env)
    assert result.exit_code == 1 and ".yaml" in result.output


def test_imports_may_be_larger_than_the_webhook_body_limit(app, admin):
    limit = app.extensions["pufa"].settings.MAX_BODY_BYTES
    entries = [dict(e, legal_basis=[KB.citations()[0]], answer="长答复" * 20) for e in FAQ]
    entries += [dict(entries[0], id=f"filler-{i}", question=f"填充问题{i}？") for i in range(300)]
    data = yaml_bytes(entries)
    assert len(data) > limit
    page = upload(admin, "big.yaml", data, action="check").get_data(as_text=True)
    assert "检查通过" in page and "新增 300 条" in page


def test_cli_upgrade_adds_new_entries_updates_unedited_ones_and_keeps_staff_edits(tmp_path, cli_env):
    """After an upgrade, `faq import faq/entries --upgrade`: what the new release adds comes in, an entry no one has
    edited takes the new release's text (a corrected article), and an entry staff edited keeps their text and is
    listed; the console's order stays. A second run changes nothing."""
    runner = CliRunner()
    assert runner.invoke(cli, ["faq", "export", str(tmp_path / "seeded.yaml")], env=cli_env).exit_code == 0
    store = Store(cli_env["DATABASE_PATH"])
    store.faq.save(dict(store.faq.get(FAQ[0]["id"]), answer="工作人员改写过的答复。" + FAQ[0]["answer"]), "张三")
    corrected = dict(FAQ[1], answer=FAQ[1]["answer"] + "\n（新版本更正）")
    new_entry = dict(FAQ[2], id="wage-brand-new", question="新版本新增的问题？")
    shipped = write_faq(tmp_path / "release", [dict(FAQ[0], answer="新版本的答复。"), corrected, *FAQ[2:], new_entry])
    result = runner.invoke(cli, ["faq", "import", str(shipped), "--upgrade"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "已新增 1 条，修改 1 条" in result.output and "wage-brand-new" in result.output
    assert "1 条工作人员改过，保留库里的版本" in result.output and FAQ[0]["id"] in result.output
    store = Store(cli_env["DATABASE_PATH"])
    assert store.faq.get("wage-brand-new")["question"] == "新版本新增的问题？"
    assert store.faq.get(FAQ[0]["id"])["answer"].startswith("工作人员改写过的答复。")
    assert store.faq.get(FAQ[1]["id"])["answer"].endswith("（新版本更正）")
    again = runner.invoke(cli, ["faq", "import", str(shipped), "--upgrade"], env=cli_env)
    assert "已新增 0 条，修改 0 条" in again.output
    assert runner.invoke(cli, ["faq", "import", str(shipped), "--upgrade", "--replace"], env=cli_env).exit_code == 1
