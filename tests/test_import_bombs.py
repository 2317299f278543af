"""Hostile import files are refused with a clear Chinese message, cheaply: one test per kind of bomb, through the
real console upload, and the same bombs measured in a fresh process (peak memory under 200 MB with the shipped
FAQ loaded). Their times are printed by `python bot.py bench bombs` (docs/benchmarks.md), not asserted here."""

from __future__ import annotations

import io
import re

import pytest

from bench import bombs
from console import faq_io
from console.import_limits import MAX_PROBLEMS_SHOWN
from tests.console_fixtures import *  # noqa: F403

EXPECTED = {
    "yaml-alias": "别名 * 按展开后计算",
    "yaml-nesting": "嵌套太深",
    "yaml-long-text": "一段文字超过 20000 字",
    "yaml-many-entries": "最多只能导入 2000 条",
    "xlsx-zip-bomb": "解压后超过 40 MB（可能是压缩炸弹）",
    "xlsx-wide-row": "单元格太多（最多 64 列）",
    "xlsx-row-gap": "表格行数太多",
    "xlsx-shared-strings": "表格里的文字太多",
    "xlsx-entity-bomb": "DTD 声明",
}


@pytest.fixture(scope="module")
def built():
    return {name: (filename, build()) for name, (filename, build) in bombs.BOMBS.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bomb_is_refused_with_a_clear_message(app, admin, built, name):
    filename, data = built[name]
    store = app.extensions["pufa"].store
    before = store.faq.all()
    with pytest.raises(faq_io.ImportFormatError, match=re.escape(EXPECTED[name])):
        faq_io.read_file(filename, data)
    resp = admin.post(
        "/admin/faq/import",
        data={"file": (io.BytesIO(data), filename), "action": "import"},
        content_type="multipart/form-data",
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and EXPECTED[name] in page
    assert len(page) < 20_000  # the message, not the file
    assert store.faq.all() == before


def test_the_problem_list_is_capped(app, admin, built):
    filename, data = built["xlsx-many-problems"]
    resp = admin.post(
        "/admin/faq/import",
        data={"file": (io.BytesIO(data), filename), "action": "check"},
        content_type="multipart/form-data",
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "没有导入" in page
    assert page.count('<td data-label="问题">') == MAX_PROBLEMS_SHOWN
    assert "处未列出" in page
    assert len(page.encode()) < 100_000  # 2,000 bad rows of long text: a short page all the same


def test_a_file_over_the_size_limit_gets_a_chinese_page(admin):
    data = b"- id: x\n" + b"#" * (5 * 1024 * 1024)
    resp = admin.post(
        "/admin/faq/import",
        data={"file": (io.BytesIO(data), "big.yaml"), "action": "check"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 413 and "上传的文件太大：最多 4 MB" in resp.get_data(as_text=True)


def test_yaml_that_shares_lists_through_aliases_still_imports(app, admin):
    """PyYAML writes anchors and aliases for lists shared between entries: counted, not refused."""
    import yaml

    from tests.console_fixtures import FAQ

    basis = [app.extensions["pufa"].knowledge.citations()[0]]
    data = yaml.safe_dump([dict(e, legal_basis=basis) for e in FAQ], allow_unicode=True).encode()
    assert b"&id001" in data and b"*id001" in data
    parsed = faq_io.read_file("faq.yaml", data)
    assert len(parsed.entries) == len(FAQ) and parsed.entries[1]["legal_basis"] == basis


@pytest.mark.slow
def test_every_bomb_stays_under_200_mb_in_a_real_worker():
    """A fresh process with the shipped FAQ (as a gunicorn worker has), every bomb through the console in turn:
    the process's peak memory after all of them bounds each one's."""
    results = bombs.measure(*bombs.BOMBS)
    print(bombs.format_bombs(results))
    assert [r["bomb"] for r in results] == list(bombs.BOMBS)
    assert all(r["status"] == 422 for r in results), results
    assert results[-1]["peak_rss_mb"] < 200, results
