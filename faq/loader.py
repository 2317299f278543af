"""Loading and checking FAQ entries (the shipped YAML files, imports and console edits share these checks)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from faq.render import render_answer
from faq.yamlio import load_yaml
from knowledge import KnowledgeBase

TOPICS = {
    "wage_arrears": "欠薪讨薪",
    "criminal_wage": "拒不支付劳动报酬罪",
    "labor_contract": "劳动合同",
    "work_injury": "工伤",
    "social_insurance": "社会保险",
    "arbitration_litigation": "仲裁和诉讼",
    "support_prosecution": "检察院支持起诉",
    "legal_aid": "法律援助",
    "judicial_relief": "司法救助",
    "procuratorate_service": "检察院和12309",
    "women": "妇女权益",
    "domestic_violence": "家庭暴力",
    "minors": "未成年人",
    "elderly": "老年人",
    "disabled": "残疾人",
}
REQUIRED = ("id", "topic", "question", "answer", "legal_basis")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_REPLY_BYTES = 2048
MIN_VARIANTS = 5


def load_entries(directory: str | Path) -> list[dict]:
    """Every entry of every `*.yaml` file in `directory`, in file order."""
    entries: list[dict] = []
    for path in sorted(Path(directory).glob("*.yaml")):
        data = load_yaml(path) or []
        for raw in data:
            entries.append(clean_entry(raw))
    return entries


def clean_entry(raw: dict) -> dict:
    """The canonical shape of an entry: stripped strings, lists for variants and legal basis."""

    def strings(value) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [v for v in re.split(r"[\n；;]+", value)]
        return [str(v).strip() for v in value if str(v).strip()]

    entry = {
        "id": str(raw.get("id") or "").strip(),
        "topic": str(raw.get("topic") or "").strip(),
        "question": str(raw.get("question") or "").strip(),
        "variants": strings(raw.get("variants")),
        "answer": str(raw.get("answer") or "").strip(),
        "legal_basis": strings(raw.get("legal_basis")),
    }
    if raw.get("hub") is not None:
        entry["hub"] = raw["hub"] is True or str(raw["hub"]).strip().lower() in ("1", "true", "yes", "是")
    followups = raw.get("followups")
    if isinstance(followups, dict) and followups:
        entry["followups"] = {str(k).strip(): str(v).strip() for k, v in followups.items() if str(v or "").strip()}
    if "enabled" in raw:
        entry["enabled"] = (
            bool(raw["enabled"])
            if not isinstance(raw["enabled"], str)
            else raw["enabled"].strip().lower() not in ("0", "false", "no", "否", "停用")
        )
    return entry


FIELD_NAMES = {
    "id": "编号",
    "topic": "主题",
    "question": "标准问题",
    "variants": "口语问法",
    "answer": "答复",
    "legal_basis": "法律依据",
    "enabled": "启用",
    "position": "排序",
    "hub": "主题总入口",
    "followups": "追问",
}
# WeChat counts bytes (2048 for a passive reply); staff count characters. A Chinese character is 3 bytes in UTF-8.
CHARS_PER_LIMIT = MAX_REPLY_BYTES // 3
FOLLOWUP_KINDS = {
    "cost": "要不要钱",
    "time": "要多久",
    "deadline": "有没有期限",
    "where": "去哪里办",
    "materials": "带什么材料",
    "penalty": "会怎么处罚",
    "amount": "能拿多少",
    "how": "怎么办理",
    "eligible": "够不够条件",
    "court": "开庭来不来人",
}


def reply_length_problem(text: str) -> str | None:
    """A message in 字 when the whole reply (answer + legal basis) is over WeChat's limit, else None."""
    size = len(text.encode("utf-8"))
    if size <= MAX_REPLY_BYTES:
        return None
    over = -(-(size - MAX_REPLY_BYTES) // 3)  # at least this many Chinese characters must go
    return (
        f"整条回复（含法律依据）共 {len(text)} 字，太长了：微信每条回复最多约 {CHARS_PER_LIMIT} 个汉字"
        f"（{MAX_REPLY_BYTES} 字节），请删减约 {over} 字"
    )


def _short(value: str, limit: int = 40) -> str:
    value = str(value)
    return value if len(value) <= limit else value[:limit] + "…"


def entry_problems(entry: dict, kb: KnowledgeBase, id_optional: bool = False) -> list[str]:
    """What is wrong with one entry, in Chinese, for staff (empty when it is fine).

    `id_optional`: a new entry from the console or an import row without an id gets one generated (faq/ids.py).
    """
    out = []
    for kind in entry.get("followups") or {}:
        if kind not in FOLLOWUP_KINDS:
            out.append(f"未知的追问类型 {_short(kind)}（可用：{'、'.join(FOLLOWUP_KINDS)}）")
    for key in REQUIRED:
        if key == "id" and id_optional:
            continue
        if not entry.get(key):
            out.append(f"缺少{FIELD_NAMES[key]}")
    if entry.get("id") and not ID_RE.match(entry["id"]):
        out.append(f"编号 {_short(entry['id'])} 不对：只能用小写英文字母、数字和连字符（新条目请留空，会自动生成）")
    if entry.get("topic") and entry["topic"] not in TOPICS:
        out.append(f"未知主题 {_short(entry['topic'])}")
    if len(entry.get("variants") or []) < MIN_VARIANTS:
        out.append(f"口语问法至少 {MIN_VARIANTS} 条")
    for citation in entry.get("legal_basis") or []:
        if not kb.has(citation):
            out.append(f"法律依据不在知识库中：{_short(citation)}")
    if entry.get("answer"):
        problem = reply_length_problem(render_answer(entry))
        if problem:
            out.append(problem)
    return out


def collection_problems(
    entries: list[dict],
    kb: KnowledgeBase,
    labels: list[str] | None = None,
    id_optional: bool = False,
    known_ids: Iterable[str] = (),
) -> list[tuple[int, str, str]]:
    """(row number from 1, entry id, problem) for every problem in a whole FAQ, duplicates included.

    `labels` name the rows in messages (第3条 / 第4行); by default 第 N 行. `known_ids`: entries outside `entries`
    that a follow-up may name (an import that adds and updates keeps the FAQ's other entries).
    """
    out = []
    seen: dict[str, int] = {}
    ids = {e.get("id") for e in entries} | set(known_ids)
    for row, entry in enumerate(entries, start=1):
        for kind, target in (entry.get("followups") or {}).items():
            if target not in ids:
                out.append((row, entry.get("id", ""), f"追问（{kind}）指向的条目不存在：{_short(target)}"))
    questions: dict[str, int] = {}

    def where(row: int) -> str:
        return labels[row - 1] if labels else f"第 {row} 行"

    for row, entry in enumerate(entries, start=1):
        for problem in entry_problems(entry, kb, id_optional):
            out.append((row, entry.get("id", ""), problem))
        eid = entry.get("id")
        if eid in seen:
            out.append((row, eid, f"编号与{where(seen[eid])}重复"))
        elif eid:
            seen[eid] = row
        question = entry.get("question")
        if question in questions:
            out.append((row, eid or "", f"标准问题与{where(questions[question])}相同"))
        elif question:
            questions[question] = row
    return out
