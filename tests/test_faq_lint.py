"""The citation checker (faq/lint.py): its rules one by one, the shipped FAQ and knowledge base (no findings), and
the answers corrected after the 2026 line-by-line legal audit (issue 13), so that the fixes cannot regress."""

import re

import pytest
import yaml
from click.testing import CliRunner

from bot import cli
from faq.lint import entry_findings, knowledge_findings, lint_entries, scan
from faq.loader import load_entries
from knowledge import Article, KnowledgeBase
from settings import Settings


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def entries():
    return {e["id"]: e for e in load_entries(Settings().FAQ_DIR)}


def findings(kb, answer: str, basis: list[str]) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in entry_findings({"answer": answer, "legal_basis": basis}, kb)]


def cited(kb, answer: str, basis: list[str] = ()) -> list[str]:
    return [c.citation.text for c in scan(answer, list(basis), kb)[0]]


# The shipped data


def test_the_shipped_faq_has_no_findings(entries, kb):
    report = [f"{e['id']}: {f}" for e, fs in lint_entries(list(entries.values()), kb) for f in fs]
    assert report == []


def test_the_knowledge_base_has_no_findings(kb):
    assert [str(f) for f in knowledge_findings(kb)] == []


# Rule 1: every article belongs to exactly one law


def test_a_citation_right_after_a_law_name(kb):
    text = "要每月付二倍工资（劳动合同法第82条），见《劳动合同法》第10条，也见《劳动争议调解仲裁法》第二十七条第四款。"
    assert cited(kb, text) == ["《劳动合同法》第82条", "《劳动合同法》第10条", "《劳动争议调解仲裁法》第27条第4款"]


def test_aliases_name_their_law(kb):
    assert cited(kb, "时效1年（调解仲裁法第27条）；二倍工资从满一个月的次日算（实施条例第6条）。") == [
        "《劳动争议调解仲裁法》第27条",
        "《劳动合同法实施条例》第6条",
    ]


def test_a_bare_article_is_the_last_named_law_of_its_paragraph(kb):
    text = "辞职不用批准（劳动合同法第37条）。\n单位欠薪的，可以依第38条解除，并要补偿（第46条第1项、第47条）。"
    assert cited(kb, text) == [f"《劳动合同法》第{n}" for n in ("37条", "38条", "46条第1项", "47条")]


def test_a_bare_article_in_a_new_paragraph_is_a_finding(kb):
    text = "时效是1年（调解仲裁法第27条第1款）。\n\n催要过工资的，时效中断（第27条第2款）。"
    result = findings(kb, text, ["《劳动争议调解仲裁法》第27条"])
    assert result == ["law: 单写的“第27条第2款”：本段前面没有提到法律，看不出是哪部法律的，请写上法律名称"]


def test_a_bare_article_after_another_law_reads_as_that_law(kb):
    """The audit's example: 民法典第188条 … （第27条第2款） meant 调解仲裁法 but reads as 民法典."""
    text = "3年是民法典的诉讼时效（民法典第188条）；催要过的，时效中断（第27条第2款）。"
    result = findings(kb, text, ["《民法典》第188条", "《劳动争议调解仲裁法》第27条第2款"])
    assert "article: 知识库里没有《民法典》第27条" in result
    assert "basis: 正文引用的《民法典》第27条第2款（原文“第27条第2款”）不在法律依据里" in result


def test_a_range_cites_every_article_in_it(kb):
    assert cited(kb, "解除要有法定理由（劳动合同法第39条至第41条）。") == [
        "《劳动合同法》第39条",
        "《劳动合同法》第40条",
        "《劳动合同法》第41条",
    ]
    result = findings(
        kb, "解除要有法定理由（劳动合同法第39条至第41条）。", ["《劳动合同法》第39条", "《劳动合同法》第41条"]
    )
    assert result == ["basis: 正文引用的《劳动合同法》第40条（原文“第40条”）不在法律依据里"]


def test_a_generic_name_is_the_one_law_of_its_kind_named_before(kb):
    text = "工地告示牌要写投诉电话（保障农民工工资支付条例第34条）；扣卡的要罚款（条例第54条）。"
    assert cited(kb, text) == ["《保障农民工工资支付条例》第34条", "《保障农民工工资支付条例》第54条"]


def test_a_generic_name_falls_back_to_the_legal_basis(kb):
    assert cited(kb, "数额较大的标准见解释第3条。", ["《拒不支付劳动报酬刑事案件解释》第3条"]) == [
        "《拒不支付劳动报酬刑事案件解释》第3条"
    ]


def test_an_ambiguous_generic_name_is_a_finding(kb):
    text = "60个工作日内查完（劳动保障监察条例第17条）；首问负责（保障农民工工资支付条例第10条），结果要告知你（条例第10条）。"
    basis = ["《劳动保障监察条例》第17条", "《保障农民工工资支付条例》第10条"]
    (result,) = findings(kb, text, basis)
    assert result.startswith("law: “条例第10条”看不出是哪一部（可能是：保障农民工工资支付条例、劳动保障监察条例）")


def test_a_law_the_knowledge_base_lacks_is_a_finding(kb):
    (result,) = findings(kb, "打人的要拘留（治安管理处罚法第51条）。", [])
    assert result == "law: “治安管理处罚法第51条”：知识库里没有这部法律"


def test_a_word_that_merely_contains_a_law_name_does_not_name_it(kb):
    """劳动法律 is not 劳动法: a bare article after it still has no law."""
    (result,) = findings(kb, "按劳动法律法规办（第44条）。", [])
    assert result.startswith("law: 单写的“第44条”")


# Rule 2: every cited article is in the legal basis


def test_a_citation_missing_from_the_legal_basis(kb):
    result = findings(kb, "工伤保险费由单位缴（社会保险法第33条、第53条）。", ["《社会保险法》第33条"])
    assert result == ["basis: 正文引用的《社会保险法》第53条（原文“第53条”）不在法律依据里"]


def test_a_basis_entry_covers_its_paragraphs_unless_both_name_different_ones(kb):
    assert findings(kb, "检察院可以起诉（民事诉讼法第58条）。", ["《民事诉讼法》第58条第2款"]) == []
    assert findings(kb, "时效中断（调解仲裁法第27条第2款）。", ["《劳动争议调解仲裁法》第27条"]) == []
    result = findings(kb, "产假98天（女职工劳动保护特别规定第7条第1款）。", ["《女职工劳动保护特别规定》第7条第2款"])
    assert result == ["basis: 正文引用的《女职工劳动保护特别规定》第7条第1款（原文“第7条第1款”）不在法律依据里"]


# Rule 3: the article, paragraph and item exist


def test_a_nonexistent_article_paragraph_or_item(kb):
    assert findings(kb, "见劳动合同法第200条。", ["《劳动合同法》第200条"]) == [
        "article: 知识库里没有《劳动合同法》第200条"
    ]
    assert findings(kb, "见调解仲裁法第27条第5款。", ["《劳动争议调解仲裁法》第27条"]) == [
        "article: 《劳动争议调解仲裁法》第27条只有4款，没有第5款"
    ]
    assert findings(kb, "见劳动合同法第46条第8项。", ["《劳动合同法》第46条"]) == [
        "article: 《劳动合同法》第46条只有7项，没有第8项"
    ]
    assert findings(kb, "见劳动合同法第82条第1项。", ["《劳动合同法》第82条"]) == [
        "article: 《劳动合同法》第82条不分项，没有第1项"
    ]


def test_the_legal_basis_is_checked_for_paragraphs_too(kb):
    assert findings(kb, "见民法典第26条。", ["《民法典》第26条第3款"]) == [
        "article: 法律依据《民法典》第26条第3款：《民法典》第26条只有2款，没有第3款"
    ]


def test_an_item_without_a_paragraph_needs_one_paragraph_with_items():
    one = Article("某法", "第2条", "t", "s", paragraphs=2, items=((1, 6),))
    two = Article("某法", "第3条", "t", "s", paragraphs=2, items=((1, 3), (2, 2)))
    assert one.part_problem(None, 6) is None and one.part_problem(2, None) is None
    assert one.part_problem(None, 7) == "《某法》第2条第1款只有6项，没有第7项"
    assert two.part_problem(None, 1) == "《某法》第3条有几款都分项，引用第1项要写明是第几款"
    assert two.part_problem(2, 2) is None


# Knowledge records: `source` says where their text came from


def test_source_original_only_for_texts_in_the_references():
    kb = KnowledgeBase(
        [
            Article("民法典", "第1045条", "t", "s", source="original"),
            Article("民法典", "第26条", "t", "s", source="original"),
            Article("某规定", "第1条", "t", "s", source="verified"),
            Article("某规定", "第2条", "t", "s", source="verified", checked_against="最高法公布的全文"),
            Article("某规定", "第3条", "t", "s", source="二手"),
        ]
    )
    references = {"民法典": {"file": "婚姻家庭编.md", "articles": [1040, 1118]}}
    assert [f.where for f in knowledge_findings(kb, references)] == [
        "《民法典》第26条",
        "《某规定》第1条",
        "《某规定》第3条",
    ]


# The answers the audit found misleading (issue 13)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。\n]", text) if s.strip()]


def test_probation_pay_is_80_percent_of_either_wage(entries):
    e = entries["contract-probation-wage"]
    assert "最低档工资的80%" in e["answer"] and "合同约定工资的80%" in e["answer"]
    assert "劳动合同法实施条例第15条" in e["answer"]
    assert "《劳动合同法实施条例》第15条" in e["legal_basis"]


@pytest.mark.parametrize("entry_id", ["dv-what-counts", "elder-domestic-violence"])
def test_who_counts_as_family_in_domestic_violence(entries, entry_id):
    e = entries[entry_id]
    for citation in ("《民法典》第1045条第3款", "《反家庭暴力法》第37条", "《人身安全保护令规定》第4条"):
        assert citation in e["legal_basis"]
    assert "共同生活" in e["answer"] and "不是近亲属" in e["answer"]
    assert "婆婆、公公、子女、兄弟姐妹等家庭成员" not in e["answer"]
    assert "儿媳、孙子等家庭成员" not in e["answer"]
    assert re.search("不住(在)?一起的[^。]*不算家(庭暴力|暴)[^。]*报警", e["answer"])


@pytest.mark.parametrize("entry_id", ["minor-support-amount", "minor-who-counts"])
def test_child_support_runs_to_18_with_the_16_to_18_exception(entries, entry_id):
    e = entries[entry_id]
    assert "《民法典婚姻家庭编解释一》第53条" in e["legal_basis"]
    assert "18周岁" in e["answer"] and "16周岁以上不满18周岁" in e["answer"] and "不能独立生活" in e["answer"]
    assert not any("抚养费" in s and "未成年人保护法" in s for s in sentences(e["answer"]))


def test_legal_aid_means_check_exemption_needs_no_fixed_income(entries):
    e = entries["aid-materials"]
    assert "有低保证、残疾证等材料的，可以免予核查" not in e["answer"]
    assert "无固定生活来源" in e["answer"] and "光有残疾证不能免予核查" in e["answer"]


@pytest.mark.parametrize("entry_id", ["sp-who-eligible", "sp-legal-basis-guideline"])
def test_disability_article_59_is_not_the_procuratorates_basis(entries, entry_id):
    answer = entries[entry_id]["answer"]
    assert "民事诉讼法》第15条" in answer or "民事诉讼法第15条" in answer
    assert "不是检察院支持起诉的依据" in answer
    assert not re.search(r"专门规定（[^）]*残疾人保障法", answer)


@pytest.mark.parametrize(
    "entry_id",
    [
        "sp-what-is",
        "sp-who-eligible",
        "sp-how-apply",
        "sp-wage-arrears",
        "elder-support-prosecution",
        "women-support-prosecution",
    ],
)
def test_support_prosecution_conditions_are_practice(entries, entry_id):
    answer = entries[entry_id]["answer"]
    assert "实践中" in answer
    for s in sentences(answer):
        if "民事诉讼法第15条" in s:
            assert not re.search("意愿|不敢|诉讼能力", s) or "实践" in s, s


@pytest.mark.parametrize(
    "entry_id",
    [
        "wagep-retired-worker",
        "wagep-labor-vs-service",
        "injury-migrant-temp-workers-covered",
        "sp-wage-arrears",
        "sp-who-eligible",
    ],
)
def test_older_workers_drawing_a_pension_are_in_a_service_relationship(entries, entry_id):
    e = entries[entry_id]
    assert "《劳动争议解释一》第32条第1款" in e["legal_basis"]
    assert "养老金" in e["answer"] and "劳务关系" in e["answer"]


def test_no_answer_leans_on_a_citation_that_does_not_support_it(entries):
    for e in entries.values():
        for s in sentences(e["answer"]):
            assert not re.search(r"责令[^。；（]*（[^）]*调解仲裁法第9条", s), e["id"]  # 第9条 only allows a complaint
            assert not re.search(r"立案[^。；（]*（[^）]*民事诉讼法第14条", s), e["id"]  # that is 刑事诉讼法第113条
            assert not re.search(r"12309[^。]*（[^）]*司法救助细则第2条", s), e["id"]  # 第2条 says what relief is
            assert not re.search(r"按月代发[^。；]*（(条例)?第30条）", s), e["id"]  # 按月代发 is 条例第31条


def test_injury_settlements_apply_article_35_by_analogy(entries):
    answer = entries["injury-private-settlement"]["answer"]
    assert "参照" in answer and "劳动争议解释一第35条管的是工资、加班费、经济补偿、赔偿金等协议" in answer


def test_legal_aid_article_31_keeps_its_condition(entries):
    for e in entries.values():
        for s in sentences(e["answer"]):
            if "法律援助法第31条" in s or "法律援助法》第31条" in s:
                assert "经济困难" in s or "请不起律师" in s, f"{e['id']}: {s}"


def test_the_double_wage_rule_keeps_more_than_a_month_less_than_a_year(entries):
    for e in entries.values():
        for s in sentences(e["answer"]):
            if "二倍工资" in s and re.search(r"第82条(?!第2款)", s):
                assert re.search("超过(一|1)个月不满(一|1)年|满一个月的次日", s), f"{e['id']}: {s}"


def test_protection_order_fees_cite_the_2016_reply(entries):
    for entry_id in ("dv-protection-order-apply", "dv-protection-order-no-divorce"):
        e = entries[entry_id]
        assert "人身安全保护令批复第1条、第2条" in e["answer"]
        assert "《人身安全保护令批复》第1条" in e["legal_basis"] and "《人身安全保护令批复》第2条" in e["legal_basis"]


def test_the_wage_deposit_rule_has_a_knowledge_record(entries, kb):
    assert kb.has("《工程建设领域农民工工资保证金规定》第11条")
    assert "《工程建设领域农民工工资保证金规定》第11条" in entries["wage-deposit"]["legal_basis"]


# python bot.py faq lint


def test_cli_lint_passes_on_the_shipped_faq(tmp_path):
    env = {"DATABASE_PATH": str(tmp_path / "lint.db"), "WECHAT_TOKEN": "t"}
    result = CliRunner().invoke(cli, ["faq", "lint"], env=env)  # the database, seeded from faq/entries
    assert result.exit_code == 0, result.output
    count = len(load_entries(Settings().FAQ_DIR))
    assert f"检查了 {count} 条问答，法条引用没有发现问题" in result.output


def test_cli_lint_lists_each_finding_and_fails(tmp_path, entries):
    bad = dict(entries["arb-time-limit"])
    bad["answer"] = "时效1年（调解仲裁法第27条）。\n\n离职的从离职之日起算（第27条第4款）；见劳动合同法第200条。"
    path = tmp_path / "faq.yaml"
    path.write_text(yaml.safe_dump([bad, entries["arb-free"]], allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["faq", "lint", str(path)], env={"DATABASE_PATH": str(tmp_path / "x.db")})
    assert result.exit_code == 1
    lines = [line.split("\t") for line in result.output.splitlines() if "\t" in line]
    question = "劳动仲裁的时效是多久？离职很久了还能申请仲裁吗？"
    assert [
        "arb-time-limit",
        question,
        "单写的“第27条第4款”：本段前面没有提到法律，看不出是哪部法律的，请写上法律名称",
    ] in lines
    assert ["arb-time-limit", question, "知识库里没有《劳动合同法》第200条"] in lines
    assert all(line[0] == "arb-time-limit" for line in lines)
    assert "发现 3 处引用问题（1 条问答）" in result.output
    assert not (tmp_path / "x.db").exists()  # a file is checked without touching the database


def test_cli_lint_reads_a_seed_directory(tmp_path):
    result = CliRunner().invoke(cli, ["faq", "lint", str(Settings().FAQ_DIR)])
    assert result.exit_code == 0, result.output
