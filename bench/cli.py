"""`python bot.py bench ...`: quality (matcher vs baselines), match (speed and memory), load (wrk vs echo),
mask (personal-information masking: recall, false positives, speed), safety and scope (the two text classifiers),
scale (a year of data through the console)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.group("bench")
def bench() -> None:
    """基准测试：答案质量（对比两个基线）、匹配速度和内存、webhook 压测。"""


@bench.command("quality")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--calibrate",
    "calibration",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="校准基线阈值用的问题集（默认 ../shared/eval/dev_questions.yaml，没有时用 tests/data/tune_questions.yaml）",
)
@click.option("--faq-dir", default=None, help="FAQ 目录（默认取 FAQ_DIR）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def quality(files: tuple[Path, ...], calibration: Path | None, faq_dir: str | None, as_json: bool) -> None:
    """三种匹配方式（本项目、BM25、模糊匹配）同走一套对话流程，按主题比较答对比例。"""
    from bench.quality import default_files, format_report, run_quality
    from faq.loader import load_entries
    from pufa.services import shared_analyzer
    from settings import Settings

    paths = list(files) or default_files()
    if not paths:
        raise click.UsageError("没有找到问题集：请给出文件，例如 ../shared/eval/dev_questions.yaml")
    entries = load_entries(faq_dir or Settings.from_env().FAQ_DIR)
    progress = (lambda m: print(m, file=sys.stderr)) if as_json else print
    report = run_quality(paths, entries, shared_analyzer(), calibration, progress)
    print(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_report(report))


@bench.command("match")
@click.option("--sizes", default="1000,5000,10000", show_default=True, help="合成 FAQ 的条目数，逗号分隔")
@click.option("--repeat", default=5, show_default=True, help="每个问题计时几遍（取中位数）")
@click.option("--no-server", is_flag=True, help="不测服务器启动时间和内存")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def match(sizes: str, repeat: int, no_server: bool, as_json: bool) -> None:
    """匹配速度（本 FAQ 和 1千/5千/1万条合成 FAQ）、建索引时间、服务器启动时间和每个工作进程的内存。"""
    from bench.speed import format_match, run_match
    from faq.loader import load_entries
    from pufa.services import shared_analyzer
    from settings import Settings

    entries = load_entries(Settings.from_env().FAQ_DIR)
    counts = tuple(int(x) for x in sizes.split(",") if x.strip())
    report = run_match(entries, shared_analyzer(), _question_texts(), counts, repeat, server=not no_server)
    print(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_match(report))


def _question_texts() -> list[str]:
    from bench.evaluation import load_questions
    from bench.quality import default_files

    texts = [str(i["text"]) for path in default_files() for i in load_questions(path) if i.get("text")]
    return texts or ["工资被拖欠了怎么办", "包工头跑了工钱找谁要", "劳动仲裁要钱吗", "检察院支持起诉是什么"]


@bench.command("load")
@click.option("--rounds", default=3, show_default=True, help="每种服务器各跑几轮（交替进行）")
@click.option("--duration", default=10, show_default=True, help="每轮压测秒数")
@click.option("--connections", default=32, show_default=True, help="wrk 并发连接数")
@click.option("--mode", "modes", multiple=True, type=click.Choice(["plain", "aes"]), help="明文/安全模式（默认两者）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def load(rounds: int, duration: int, connections: int, modes: tuple[str, ...], as_json: bool) -> None:
    """用 wrk 压测真实服务器（生产配置），与同配置的 wechatpy 回声服务器交替对比。"""
    from bench.load import format_load, run_load
    from bench.wrk import wrk_path

    if wrk_path() is None:
        raise click.ClickException("找不到 wrk：请先安装（Debian/Ubuntu：apt-get install wrk），再运行 bench load。")
    progress = (lambda m: print(m, file=sys.stderr, flush=True)) if as_json else (lambda m: print(m, flush=True))
    report = run_load(_question_texts(), rounds, duration, connections, modes or ("plain", "aes"), progress)
    print(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_load(report))


@bench.command("safety")
@click.option("--write", "write_model", is_flag=True, help="用全部调参集训练并写入 dialogue/safety_model.npz")
@click.option("--faq-dir", default=None, help="FAQ 目录（默认取 FAQ_DIR）")
def safety(write_model: bool, faq_dir: str | None) -> None:
    """危险信号分类器：留一撰写者交叉检验（召回和误报），或重新训练模型（需要 scikit-learn）。"""
    _text_model("safety", write_model, faq_dir)


@bench.command("scope")
@click.option("--write", "write_model", is_flag=True, help="用全部调参集训练并写入 dialogue/scope_model.npz")
@click.option("--faq-dir", default=None, help="FAQ 目录（默认取 FAQ_DIR）")
def scope(write_model: bool, faq_dir: str | None) -> None:
    """范围分类器（问题是否属于本机器人管的主题）：留一撰写者交叉检验，或重新训练模型（需要 scikit-learn）。"""
    _text_model("scope", write_model, faq_dir)


@bench.command("handoff")
@click.option("--write", "write_model", is_flag=True, help="用全部调参集训练并写入 dialogue/handoff_model.npz")
@click.option("--faq-dir", default=None, help="FAQ 目录（默认取 FAQ_DIR）")
def handoff(write_model: bool, faq_dir: str | None) -> None:
    """找人工分类器（问的是不是要找工作人员、问联系方式）：留一撰写者交叉检验，或重新训练模型（需要 scikit-learn）。"""
    _text_model("handoff", write_model, faq_dir)


def _text_model(name: str, write_model: bool, faq_dir: str | None) -> None:
    from bench.text_models import check, write
    from settings import Settings

    directory = Path(faq_dir or Settings.from_env().FAQ_DIR)
    print(write(name, directory) if write_model else check(name, directory))


@bench.command("mask")
@click.option("--repeat", default=5, show_default=True, help="每条消息计时几遍（取最快）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def mask(repeat: int, as_json: bool) -> None:
    """遮蔽个人信息的效果（标注好的消息集：遮住的比例、误改的条数）和速度（每条消息几微秒）。"""
    from bench.masking import format_masking, run_masking

    report = run_masking(repeat)
    print(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_masking(report))


@bench.command("bombs")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def bombs(as_json: bool) -> None:
    """恶意导入文件（YAML 别名炸弹、xlsx 压缩炸弹等）：每个在新进程里经控制台导入，打印耗时、峰值内存和提示。"""
    from bench.bombs import BOMBS, format_bombs, measure

    results = [measure(name)[0] for name in BOMBS]
    print(json.dumps(results, ensure_ascii=False, indent=1) if as_json else format_bombs(results))


@bench.command("scale")
@click.option("--rows", default=1_000_000, show_default=True, help="咨询记录条数")
@click.option("--days", default=365, show_default=True, help="记录分布在最近多少天")
@click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), default=None, help="数据库文件（已存在则直接用，不重建）"
)
@click.option("--keep", is_flag=True, help="保留临时数据库（打印路径）")
@click.option("--repeat", default=5, show_default=True, help="每个页面计时几遍（取中位数）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def scale(rows: int, days: int, db: Path | None, keep: bool, repeat: int, as_json: bool) -> None:
    """一年的数据量（默认 100 万条咨询）：建库，逐个测控制台页面、导出和 bot.py stats 的耗时。"""
    from bench.scale import format_scale, run_scale

    progress = (lambda m: print(m, file=sys.stderr, flush=True)) if as_json else (lambda m: print(m, flush=True))
    report = run_scale(rows, days, db, keep, repeat, progress)
    print(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_scale(report))


def register(cli: click.Group) -> None:
    """Add the `bench` group to the bot's command line."""
    cli.add_command(bench)
