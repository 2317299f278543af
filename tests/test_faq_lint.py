"""The citation checker (faq/lint.py): its rules one by one."""

import pytest

from faq.lint import entry_findings, knowledge_findings, scan
from knowledge import Article, KnowledgeBase


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def findings(kb, answer: str, basis: list[str]) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in entry_findings({"answer": answer, "legal_basis": basis}, kb)]


def cited(kb, answer: str, basis: list[str] = ()) -> list[str]:
    return [c.citation.text for c in scan(answer, list(basis), kb)[0]]


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
