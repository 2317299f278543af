"""`bot.py bench scale`, part 1: a database with a year of consultations (1,000,000 by default), built in seconds.

The mix follows what the log of a county procuratorate's account looks like: questions answered from the shipped
FAQ (their own colloquial variants), tentative answers and numbered choices, questions the FAQ cannot answer (a
pool of repeated off-topic questions plus one-off ones), model answers with token counts, the newer outcomes
(emergency, handoff, intake, inbox), menus, follows and unfollows, images. Weekdays are busier than weekends,
daytime busier than night, the year grows towards its end, and a few users write a lot while most write once or
twice. Everything is drawn with numpy from a fixed seed and inserted with executemany in one transaction, through
the real schema (migrations and triggers included), so the database is the one the console reads in production.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import numpy as np

from storage.db import CHINA_TZ
from storage.vocab import Outcome

# (outcome, kind, share): the share of all rows; questions are text or voice
MIX: tuple[tuple[Outcome, str, float], ...] = (
    (Outcome.ANSWERED, "text", 0.515),
    (Outcome.ANSWERED, "voice", 0.045),
    (Outcome.TENTATIVE, "text", 0.075),
    (Outcome.TENTATIVE, "voice", 0.010),
    (Outcome.SUGGESTED, "text", 0.085),
    (Outcome.SUGGESTED, "voice", 0.010),
    (Outcome.UNANSWERED, "text", 0.075),
    (Outcome.UNANSWERED, "voice", 0.008),
    (Outcome.LLM, "text", 0.025),
    (Outcome.PENDING, "text", 0.002),
    (Outcome.EMERGENCY, "text", 0.004),
    (Outcome.HANDOFF, "text", 0.012),
    (Outcome.INTAKE, "text", 0.015),
    (Outcome.INBOX, "text", 0.006),
    (Outcome.MENU, "text", 0.055),
    (Outcome.MENU, "click", 0.015),
    (Outcome.EVENT, "subscribe", 0.025),
    (Outcome.EVENT, "unsubscribe", 0.006),
    (Outcome.OTHER, "image", 0.012),
)
OFF_TOPIC = (
    "外卖骑手算不算劳动关系",
    "营业执照怎么办理",
    "信用卡逾期了会坐牢吗",
    "网贷催收天天打电话怎么办",
    "闯红灯被拍了怎么查",
    "邻居装修太吵怎么投诉",
    "宅基地被村里收回了",
    "网上买东西被骗了怎么报警",
    "孩子在学校被老师骂",
    "医院乱收费找谁",
    "种的庄稼被别人家的牛吃了",
    "小区物业费不交行不行",
    "离婚房子怎么分",
    "驾照扣满12分怎么办",
    "手机流量卡哪个便宜",
    "我要举报村干部贪污",
    "土地流转合同到期了",
    "直播带货被平台封号",
    "高利贷合法吗",
    "车祸对方不赔钱",
)
TAILS = ("", "", "", "？", "怎么办", "咋整", "找谁", "啊", "。", "呢")
MENU_TEXTS = ("菜单", "你好", "在吗", "1", "2", "3", "帮助", "hi")
EMERGENCY_TEXTS = ("他在打我 快来人", "工地塌了有人被埋", "我不想活了", "孩子被人打了在流血")
HANDOFF_TEXTS = ("人工客服", "有人吗 我要找人", "转人工", "能跟真人说话吗")
INTAKE_TEXTS = ("我要登记欠薪", "申请支持起诉", "张三 工地 欠八千", "1", "是")
INBOX_TEXTS = ("麻烦你们帮我看看这个情况", "我想留言给检察官", "谢谢你们的帮助")
SEED = 20240601
CHUNK = 50_000


def _day_weights(days: int, rng: np.random.Generator) -> np.ndarray:
    """Relative traffic per day: weekends at 55%, a year-long growth from 70% to 130%, some noise."""
    end = datetime.now(CHINA_TZ).date()
    weekday = np.array([(end - timedelta(days=days - 1 - i)).weekday() for i in range(days)])
    w = np.where(weekday >= 5, 0.55, 1.0) * np.linspace(0.7, 1.3, days) * rng.uniform(0.8, 1.2, days)
    return w / w.sum()


def _hours(n: int, rng: np.random.Generator) -> np.ndarray:
    """Seconds into the day, busiest 9–12 and 19–22 (workers write after their shift)."""
    weights = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 4, 6, 6, 6, 5, 5, 5, 5, 5, 4, 5, 7, 8, 8, 5, 2], float)
    hour = rng.choice(24, n, p=weights / weights.sum())
    return hour * 3600 + rng.uniform(0, 3600, n)


def _sessions(rows: int, days: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(ts, user number) of `rows` messages, in time order. People write in sessions of a few messages a minute or
    so apart; 60% of sessions are someone new, the rest someone who wrote before (the more often, the likelier)."""
    lengths = rng.geometric(0.35, rows // 2)
    lengths = lengths[: int(np.searchsorted(np.cumsum(lengths), rows)) + 1]
    lengths[-1] -= int(lengths.sum()) - rows
    n = len(lengths)
    now = time.time()
    today = datetime.fromtimestamp(now, CHINA_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    first = (today - timedelta(days=days - 1)).timestamp()
    start = np.sort(first + rng.choice(days, n, p=_day_weights(days, rng)) * 86400.0 + _hours(n, rng))
    start = np.where(start < now - 600, start, start - 86400)  # today's sessions end before the current time
    new = rng.random(n) < 0.6
    new[0] = True
    seen = np.cumsum(new)
    # a returning session picks an earlier session's user, so frequent writers are picked more often
    earlier = (rng.random(n) * np.arange(n)).astype(np.int64)
    user = np.where(new, seen - 1, -1)
    for i in np.flatnonzero(~new):  # in order: an earlier session's user is already known
        user[i] = user[earlier[i]]
    ts = np.repeat(start, lengths) + _offsets(lengths, rng)
    order = np.argsort(ts, kind="stable")
    return ts[order], np.repeat(user, lengths)[order]


def _offsets(lengths: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds from a session's start to each of its messages (15–90 s apart)."""
    gaps = rng.uniform(15, 90, int(lengths.sum()))
    ends = np.cumsum(lengths)
    csum = np.cumsum(gaps)
    base = np.repeat(np.concatenate(([0.0], csum[ends[:-1] - 1])), lengths)
    return csum - base - gaps[np.concatenate(([0], ends[:-1]))].repeat(lengths)


def generate(entries: list[dict], rows: int, days: int, seed: int = SEED) -> Iterator[list[tuple]]:
    """Consultation rows (in time order), `CHUNK` at a time, as tuples in INSERT_COLUMNS order."""
    rng = np.random.default_rng(seed)
    ts, users = _sessions(rows, days, rng)
    shares = np.array([m[2] for m in MIX])
    mix = rng.choice(len(MIX), rows, p=shares / shares.sum())
    pick = rng.random(rows)
    scores = rng.random(rows)
    latency = rng.lognormal(np.log(6.0), 0.55, rows)
    variants = [(e, v) for e in entries for v in [e["question"], *e.get("variants", [])]]
    # off-topic questions: most are one of a few hundred phrasings, a third are someone's own words
    off_pool = [q + t for q in OFF_TOPIC for t in TAILS]
    stamps = np.datetime_as_string((ts + 8 * 3600).astype("datetime64[s]"))  # China time, YYYY-MM-DDTHH:MM:SS
    ts, users, mix = ts.tolist(), users.tolist(), mix.tolist()
    pick, scores, latency = pick.tolist(), scores.tolist(), latency.tolist()
    for start in range(0, rows, CHUNK):
        batch = []
        for i in range(start, min(rows, start + CHUNK)):
            outcome, kind, _ = MIX[mix[i]]
            stamp = str(stamps[i])
            batch.append(
                _row(i, ts[i], stamp, users[i], outcome, kind, pick[i], scores[i], latency[i], variants, off_pool)
            )
        yield batch


def _row(i, ts, stamp, user, outcome, kind, pick, score, latency, variants, off_pool) -> tuple:
    created_at, day = stamp.replace("T", " "), stamp[:10]
    faq_id = topic = detail = None
    sc: float | None = None
    text = ""
    lat = round(float(latency), 2)
    if outcome in (Outcome.ANSWERED, Outcome.TENTATIVE, Outcome.SUGGESTED):
        entry, text = variants[int(pick * len(variants))]
        faq_id, topic = entry["id"], entry["topic"]
        other = variants[(i * 7919) % len(variants)][0]["id"]  # ids are plain ASCII: no JSON escaping needed
        if outcome == Outcome.ANSWERED:
            sc = round(0.6 + 0.4 * score, 4)
            detail = f'{{"runner_up": ["{other}", {round(sc * 0.7, 4)}]}}'
        else:
            sc = round(0.27 + 0.15 * score, 4)
            flag = ', "tentative": true' if outcome == Outcome.TENTATIVE else ""
            detail = f'{{"choices": [["{faq_id}", {sc}], ["{other}", {round(sc * 0.9, 4)}]]{flag}}}'
            text = text + "？" if score < 0.3 else text
    elif outcome in (Outcome.UNANSWERED, Outcome.LLM, Outcome.PENDING):
        if pick < 0.66:
            text = off_pool[int(pick / 0.66 * len(off_pool))]
        else:
            text = f"{off_pool[i % len(off_pool)]}，我是第{i % 9973}号，情况是这样的{i}"
        if outcome == Outcome.LLM:
            lat = round(2200 + 2000 * score, 1)
            detail = json.dumps(
                {
                    "answer": "根据《劳动合同法》第30条，用人单位应当按时足额支付劳动报酬。",
                    "citations": ["《劳动合同法》第30条"],
                    "prompt_tokens": 1300 + int(400 * score),
                    "completion_tokens": 250 + int(150 * pick),
                    "llm_latency_ms": lat - 30,
                    "model": "qwen-plus",
                    "delivery": "passive" if score < 0.8 else "custom",
                },
                ensure_ascii=False,
            )
            topic = "labor_contract" if pick < 0.5 else None
    elif outcome == Outcome.EMERGENCY:
        text = EMERGENCY_TEXTS[int(pick * len(EMERGENCY_TEXTS))]
    elif outcome == Outcome.HANDOFF:
        text = HANDOFF_TEXTS[int(pick * len(HANDOFF_TEXTS))]
    elif outcome == Outcome.INTAKE:
        text = INTAKE_TEXTS[int(pick * len(INTAKE_TEXTS))]
        topic = "wage_arrears" if pick < 0.7 else "support_prosecution"
    elif outcome == Outcome.INBOX:
        text = INBOX_TEXTS[int(pick * len(INBOX_TEXTS))]
    elif outcome == Outcome.MENU:
        text = "" if kind == "click" else MENU_TEXTS[int(pick * len(MENU_TEXTS))]
    if kind == "voice":
        text = text.rstrip("？。")
    return (
        ts,
        created_at,
        day,
        f"u{user:015x}",
        kind,
        text,
        str(outcome),
        faq_id,
        sc,
        topic,
        lat,
        f"bench:{i}",
        detail,
    )


INSERT_COLUMNS = "ts, created_at, day, user_id, kind, text, outcome, faq_id, score, topic, latency_ms, msg_key, detail"


def build(store, entries: list[dict], rows: int, days: int, progress=print) -> dict:
    """Fill `store` (a fresh database) with `rows` consultations over `days` days; returns timings."""
    conn = store.db.get().conn
    started = time.perf_counter()
    done = 0
    # a big page cache keeps the random-order indexes (user_id, msg_key) in memory while they grow
    conn.execute("PRAGMA cache_size = -400000")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    for batch in generate(entries, rows, days):
        conn.executemany(f"INSERT INTO consultations ({INSERT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
        done += len(batch)
        if done % 200_000 == 0:
            progress(f"  {done:,} rows, {time.perf_counter() - started:.1f} s")
    conn.execute(
        "INSERT INTO users (user_id, first_seen, last_seen, subscribed, messages)"
        " SELECT user_id, min(created_at), max(created_at), NULL, count(*) FROM consultations GROUP BY user_id"
        " ON CONFLICT(user_id) DO NOTHING"
    )
    conn.execute("COMMIT")
    inserted = time.perf_counter() - started
    folded = _fold(store)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -2000")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "rows": rows,
        "days": days,
        "insert_s": round(inserted, 1),
        "fold_s": folded,
        "build_s": round(time.perf_counter() - started, 1),
    }


def _fold(store) -> float | None:
    """Fold the new rows into the statistics rollups, as a server would on its first statistics page (seconds)."""
    try:
        from storage import rollups
    except ImportError:  # a version without rollups (to measure before/after)
        return None
    started = time.perf_counter()
    rollups.catch_up(store.db.get())
    return round(time.perf_counter() - started, 1)
