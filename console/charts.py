"""Geometry for the server-side SVG charts (numbers only; the template draws them, autoescaped)."""

from __future__ import annotations

import math

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 34
# Labels are drawn at most this many; on a phone (the chart scaled to ~350 px, its text enlarged by the
# stylesheet) the ones marked minor are hidden, so the rest stay apart and readable.
MAX_LABELS = 8
TREND_HEIGHT = 220


def nice_ceiling(value: float) -> int:
    """A round axis maximum at or above `value` (1, 2, 5 × 10ⁿ)."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return math.ceil(step * magnitude)
    return math.ceil(10 * magnitude)


def daily_chart(days: list[dict]) -> dict:
    """Bars (consultations) and a line (distinct users) per day, with axis ticks and sparse date labels."""
    n = max(1, len(days))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_ceiling(max([d["consultations"] for d in days] + [d["users"] for d in days] + [0]))
    slot = plot_w / n
    bar_w = max(1.0, slot * 0.7)

    def y(v: float) -> float:
        return round(TOP + plot_h - plot_h * v / top, 1)

    bars, points = [], []
    for i, d in enumerate(days):
        x = LEFT + i * slot
        bars.append(
            {
                "x": round(x + (slot - bar_w) / 2, 1),
                "y": y(d["consultations"]),
                "w": round(bar_w, 1),
                "h": round(TOP + plot_h - y(d["consultations"]), 1),
                **d,
            }
        )
        points.append(f"{round(x + slot / 2, 1)},{y(d['users'])}")
    labels = _labels([d["day"][5:] for d in days], slot)
    parts = 5 if top % 5 == 0 else 4  # whole-number ticks: 4 → 0..4, 10 → 0,2..10, 25 → 0,5..25
    ticks = [{"y": y(top * k / parts), "value": top * k // parts} for k in range(parts + 1)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": TOP + plot_h,
        "label_y": HEIGHT - 12,
        "bars": bars,
        "line": " ".join(points),
        "labels": labels,
        "ticks": ticks,
        "dots": len(days) <= 62,
        "points": [p.split(",") for p in points],
    }


def _labels(texts: list[str], slot: float) -> list[dict]:
    """Axis labels under the bars: at most MAX_LABELS, every other one minor (hidden on a phone)."""
    every = max(1, math.ceil(len(texts) / MAX_LABELS))
    shown = [(i, t) for i, t in enumerate(texts) if i % every == 0]
    return [
        {"x": round(LEFT + i * slot + slot / 2, 1), "text": t, "minor": k % 2 == 1} for k, (i, t) in enumerate(shown)
    ]


def trend_chart(rows: list[dict]) -> dict:
    """Bars (questions per day, week or month) and the 答复率 line on a 0–100% scale at the right; a period with
    no questions has no point (the line breaks rather than dropping to 0)."""
    n = max(1, len(rows))
    plot_w, plot_h = WIDTH - LEFT - RIGHT - 46, TREND_HEIGHT - TOP - BOTTOM  # room at the right for the % axis
    top = nice_ceiling(max([r["consultations"] for r in rows] + [0]))
    slot = plot_w / n
    bar_w = max(1.0, slot * 0.6)
    bottom = TOP + plot_h

    def y(v: float, scale: float) -> float:
        return round(bottom - plot_h * v / scale, 1)

    bars, segments, points, current = [], [], [], []
    for i, r in enumerate(rows):
        x = LEFT + i * slot
        bars.append(
            {
                "x": round(x + (slot - bar_w) / 2, 1),
                "y": y(r["consultations"], top),
                "w": round(bar_w, 1),
                "h": round(bottom - y(r["consultations"], top), 1),
                **r,
            }
        )
        if r["answered_rate"] is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        point = (round(x + slot / 2, 1), y(r["answered_rate"], 1))
        current.append(f"{point[0]},{point[1]}")
        points.append({"x": point[0], "y": point[1], "rate": r["answered_rate"], "label": r["label"]})
    if current:
        segments.append(" ".join(current))
    parts = 5 if top % 5 == 0 else 4
    return {
        "width": WIDTH,
        "height": TREND_HEIGHT,
        "left": LEFT,
        "right": LEFT + plot_w,
        "bottom": bottom,
        "label_y": HEIGHT - 12,
        "bars": bars,
        "segments": segments,
        "points": points if len(rows) <= 62 else [],
        "labels": _labels([r["short"] for r in rows], slot),
        "ticks": [{"y": y(top * k / parts, top), "value": top * k // parts} for k in range(parts + 1)],
        "rate_ticks": [{"y": y(k / 4, 1), "value": f"{k * 25}%", "minor": k % 2 == 1} for k in range(5)],
    }


def topic_bars(by_topic: dict[str, int], names: dict[str, str]) -> dict:
    """Bars for consultations by topic, most asked first; `pct` is the length relative to the largest."""
    rows = sorted(by_topic.items(), key=lambda kv: -kv[1])
    peak = max([n for _, n in rows] + [1])
    bars = [{"name": names.get(topic, topic or "未分类"), "n": n, "pct": round(100 * n / peak, 1)} for topic, n in rows]
    return {"bars": bars}
