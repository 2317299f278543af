"""Loading and checking FAQ entries (the shipped YAML files, imports and console edits share these checks)."""

from __future__ import annotations

import re
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


FOLLOWUP_KINDS = {
    "cost": "要不要钱",
    "time": "要多久",
    "where": "去哪里办",
    "materials": "带什么材料",
    "penalty": "会怎么处罚",
    "amount": "能拿多少",
    "how": "怎么办理",
}


def entry_problems(entry: dict, kb: KnowledgeBase) -> list[str]:
    """What is wrong with one entry, in Chinese, for staff (empty when it is fine)."""
    out = []
    for kind in entry.get("followups") or {}:
        if kind not in FOLLOWUP_KINDS:
            out.append(f"未知的追问类型 {kind}（可用：{'、'.join(FOLLOWUP_KINDS)}）")
    for key in REQUIRED:
        if not entry.get(key):
            out.append(f"缺少 {key}")
    if entry.get("id") and not ID_RE.match(entry["id"]):
        out.append("id 只能用小写英文字母、数字和连字符")
    if entry.get("topic") and entry["topic"] not in TOPICS:
        out.append(f"未知主题 {entry['topic']}")
    if len(entry.get("variants") or []) < MIN_VARIANTS:
        out.append(f"口语问法至少 {MIN_VARIANTS} 条")
    for citation in entry.get("legal_basis") or []:
        if not kb.has(citation):
            out.append(f"法律依据不在知识库中：{citation}")
    if entry.get("answer"):
        size = len(render_answer(entry).encode("utf-8"))
        if size > MAX_REPLY_BYTES:
            out.append(f"回复共 {size} 字节，超过微信 {MAX_REPLY_BYTES} 字节上限")
    return out


def collection_problems(entries: list[dict], kb: KnowledgeBase) -> list[tuple[int, str, str]]:
    """(row number from 1, entry id, problem) for every problem in a whole FAQ, duplicates included."""
    out = []
    seen: dict[str, int] = {}
    ids = {e.get("id") for e in entries}
    for row, entry in enumerate(entries, start=1):
        for kind, target in (entry.get("followups") or {}).items():
            if target not in ids:
                out.append((row, entry.get("id", ""), f"追问（{kind}）指向的条目不存在：{target}"))
    for row, entry in enumerate(entries, start=1):
        for problem in entry_problems(entry, kb):
            out.append((row, entry.get("id", ""), problem))
        eid = entry.get("id")
        if eid in seen:
            out.append((row, eid, f"id 与第 {seen[eid]} 行重复"))
        elif eid:
            seen[eid] = row
    return out
