"""`bot.py users ...` and `bot.py faq ...`: console accounts and whole-FAQ import/export from the command line.

Passwords are read from a hidden prompt, or from standard input when it is not a terminal (for scripts:
`printf '%s\\n' "$PW" | python bot.py users add NAME --role admin`), never from the command line, where they
would end up in the shell history and the process list.
"""

from __future__ import annotations

import sys
from getpass import getpass
from pathlib import Path

import click

from console import faq_io
from console.faq_undo import UNDO_DAYS
from console.import_limits import MAX_FILE_BYTES, MAX_PROBLEMS_SHOWN
from console.passwords import hash_password, name_problem, password_problem
from faq.changes import FIELDS, MERGE, REPLACE, changed_fields, plan_import
from faq.lint import knowledge_findings, lint_entries
from faq.loader import load_entries
from knowledge import KnowledgeBase
from settings import Settings
from storage import Store
from storage.accounts import ROLES
from storage.vocab import ROLE_LABELS as ROLE_NAMES


def _store() -> Store:
    """The database of DATABASE_PATH, seeded from FAQ_DIR when empty (like the server does)."""
    settings = Settings.from_env()
    store = Store(settings.DATABASE_PATH)
    store.faq.seed(load_entries(settings.FAQ_DIR))
    return store


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def read_password() -> str:
    """A hidden prompt (asked twice) on a terminal; otherwise the first line of standard input."""
    if _interactive():
        password = getpass("密码：")
        if password != getpass("再输一次："):
            raise click.ClickException("两次输入的密码不一致")
        return password
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


@click.group()
def users() -> None:
    """控制台账号：添加、列出、停用、关闭两步验证。"""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="admin 管理员 / caseworker 办案人员 / editor 编辑")
@click.option("--procuratorate", default=None, help="办案人员所属的检察院（PROCURATORATE_NAME 或 PROCURATORATES 里的名称）")
def users_add(name: str, role: str, procuratorate: str | None) -> None:
    """添加账号（已存在则重设密码和角色，并让它的登录全部失效）。密码从提示或标准输入读取。
    办案人员要用 --procuratorate 指定所属检察院，只能看到这个检察院的案件。"""
    if problem := name_problem(name):
        raise click.ClickException(problem)
    if problem := procuratorate_problem(role, procuratorate, Settings.from_env()):
        raise click.ClickException(problem)
    password = read_password()
    if problem := password_problem(password, name=name):
        raise click.ClickException(problem)
    store = _store()
    existed = store.accounts.get(name) is not None
    store.accounts.add(name, role, hash_password(password), procuratorate)
    where = f"（{procuratorate}）" if procuratorate else ""
    click.echo(f"已{'更新' if existed else '添加'}{ROLE_NAMES[role]}账号：{name}{where}")


def procuratorate_problem(role: str, procuratorate: str | None, settings: Settings) -> str | None:
    """Why a caseworker's procuratorate will not do (None when it is fine)."""
    names = settings.procuratorates.names
    if procuratorate and procuratorate not in names:
        return f"没有检察院“{procuratorate}”。可选：{'、'.join(names)}（在 PROCURATORATE_NAME、PROCURATORATES 里设置）"
    if role == "caseworker" and not procuratorate:
        return f"办案人员要用 --procuratorate 指定所属检察院，可选：{'、'.join(names)}"
    return None


@users.command("list")
def users_list() -> None:
    """列出所有账号。"""
    accounts = _store().accounts.all()
    if not accounts:
        click.echo("还没有账号。添加第一个管理员：python bot.py users add NAME --role admin")
        return
    for a in accounts:
        state = ("（已停用）" if a["disabled"] else "") + ("（两步验证）" if a["totp"] else "")
        where = f"\t{a['procuratorate']}" if a.get("procuratorate") else ""
        click.echo(f"{a['name']}\t{ROLE_NAMES.get(a['role'], a['role'])}\t{a['created_at']}{state}{where}")


@users.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="重新启用")
def users_disable(name: str, enable: bool) -> None:
    """停用（或 --enable 启用）账号；停用后立即不能登录，已有的登录立即失效。"""
    store = _store()
    if store.accounts.get(name) is None:
        raise click.ClickException(f"没有账号 {name}")
    store.accounts.set_disabled(name, not enable)
    click.echo(f"已{'启用' if enable else '停用'}：{name}")


@users.command("reset-2fa")
@click.argument("name")
def users_reset_2fa(name: str) -> None:
    """关闭账号的两步验证（手机丢了、恢复码也用完时），并让它的登录全部失效。"""
    store = _store()
    if store.accounts.get(name) is None:
        raise click.ClickException(f"没有账号 {name}")
    store.accounts.clear_totp(name, end_sessions=True)
    click.echo(f"已关闭 {name} 的两步验证。请对方登录后在「我的账号」里重新开启。")


@click.group()
def faq() -> None:
    """整个问答库：导出、导入（.yaml / .xlsx），检查法条引用。"""


@faq.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def faq_export(file: Path) -> None:
    """把问答库导出到 FILE（按扩展名：.yaml/.yml 或 .xlsx）。"""
    fmt = faq_io.file_format(file.name)
    if fmt is None:
        raise click.ClickException("文件名须以 .yaml、.yml 或 .xlsx 结尾")
    entries = _store().faq.all()
    if fmt == "yaml":
        file.write_text(faq_io.dump_yaml(entries), encoding="utf-8")
    else:
        file.write_bytes(faq_io.dump_xlsx(entries, KnowledgeBase.load()))
    click.echo(f"已导出 {len(entries)} 条到 {file}")


@faq.command("import")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="只检查，不导入")
@click.option("--replace", is_flag=True, help="整体替换：删除文件里没有的条目（先列出，再确认）")
@click.option(
    "--upgrade", is_flag=True, help="升级到新版本后用：加入新条目，工作人员没改过的条目换成新版本，改过的保留并列出"
)
@click.option("--yes", is_flag=True, help="不再询问，直接执行（配合 --replace，用于脚本）")
@click.option("--author", default="cli", show_default=True, help="记在修订历史里的作者")
def faq_import(file: Path, check: bool, replace: bool, upgrade: bool, yes: bool, author: str) -> None:
    """从 FILE 导入问答库：先逐行检查，有错则一条也不导入。默认只新增和更新；--replace 才删除文件里没有的条目。

    FILE 也可以是种子目录（随附的 faq/entries）。升级到新版本后运行 `python bot.py faq import faq/entries --upgrade`：
    新版本新增的条目加进来，工作人员没改过的条目换成新版本（法条、问法的更正），改过的保留库里的版本并列出来。
    """
    if replace and upgrade:
        raise click.ClickException("--replace 和 --upgrade 不能同时用")
    if file.is_dir():
        data, name = faq_io.dump_yaml(load_entries(file)).encode("utf-8"), f"{file.name}.yaml"
    else:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise click.ClickException(f"文件太大，最多 {MAX_FILE_BYTES // 1024 // 1024} MB")
        data, name = file.read_bytes(), file.name
    try:
        parsed = faq_io.read_file(name, data)
    except faq_io.ImportFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    store = _store()
    problems = faq_io.validate(parsed, KnowledgeBase.load(), [e["id"] for e in store.faq.all()])
    if problems:
        for where, name, problem in problems[:MAX_PROBLEMS_SHOWN]:
            click.echo(f"{where}\t{name}\t{problem}", err=True)
        if len(problems) > MAX_PROBLEMS_SHOWN:
            click.echo(f"……还有 {len(problems) - MAX_PROBLEMS_SHOWN} 处问题未列出", err=True)
        raise click.ClickException(f"发现 {len(problems)} 处问题，没有导入任何内容")
    rows = faq_io.prepared(parsed)
    mode = REPLACE if replace else MERGE
    if upgrade:
        rows, kept = _upgrade_rows(store, rows)
        author = UPGRADE_AUTHOR
        if kept:
            click.echo(f"{len(kept)} 条工作人员改过，保留库里的版本（新版本的写法见 {file}）：")
            for entry in kept:
                click.echo(f"  = {entry['question']}（{entry['id']}）")
    plan = plan_import(store.faq.all(), rows, mode)
    if plan.removed:
        click.echo(f"整体替换将删除 {len(plan.removed)} 条（文件里没有）：")
        for entry in plan.removed:
            click.echo(f"  - {entry['question']}（{entry['id']}）")
    if check:
        click.echo(f"检查通过。将{_summary(plan)}")
        return
    if plan.removed and not yes:
        if not _interactive():
            raise click.ClickException("要删除条目，请在终端里确认，或加 --yes")
        click.confirm(f"确定删除这 {len(plan.removed)} 条并导入吗？", abort=True)
    batch, plan = store.faq_imports.apply(rows, author, mode, file.name)
    click.echo(f"检查通过。已{_summary(plan)}")
    for entry in plan.added:
        click.echo(f"  + {entry['question']}（编号 {entry['id']}）")
    if batch is not None:
        click.echo(f"导入记录 #{batch}：{UNDO_DAYS} 天内可在控制台「导入」页撤销本次导入。")


UPGRADE_AUTHOR = "新版本问答库"  # the author of an upgrade's revisions: entries only it changed are still unedited


def _upgrade_rows(store: Store, rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The shipped rows an upgrade applies: the new entries, and new versions of the entries no one has edited
    (no revision but the seed's or an earlier upgrade's; their order and on/off switch stay the console's). Returns
    (rows, the edited entries whose text differs from the new version: kept as they are)."""
    current = {e["id"]: e for e in store.faq.all()}
    questions = {e["question"] for e in current.values()}
    take, kept = [], []
    for row in rows:
        before = current.get(row.get("id"))
        if before is None:
            if row["question"] not in questions:
                take.append(row)
            continue
        after = {**before, **{k: row[k] for k in FIELDS if k in row}}
        if not set(changed_fields(before, after)) - {"position", "enabled"}:
            continue
        if any(r["author"] != UPGRADE_AUTHOR for r in store.faq.revisions(before["id"])):
            kept.append(before)
            continue
        take.append({k: v for k, v in row.items() if k not in ("position", "enabled")})
    return take, kept


def _summary(plan) -> str:
    return (
        f"新增 {len(plan.added)} 条，修改 {len(plan.changed)} 条，删除 {len(plan.removed)} 条，"
        f"未变 {plan.unchanged} 条。"
    )


@faq.command("lint")
@click.argument("source", required=False, type=click.Path(exists=True, path_type=Path))
def faq_lint(source: Path | None) -> None:
    """检查答案里的法条引用：看得出是哪部法律、写进了法律依据、条款项在知识库里存在。

    不给 SOURCE 时检查数据库里正在用的问答库；SOURCE 可以是导出的 .yaml/.xlsx 文件或种子目录。
    每个问题打印一行：编号、标准问题、问题说明。有问题时退出码为 1。
    """
    kb = KnowledgeBase.load()
    if source is None:
        entries = _store().faq.all()
    elif source.is_dir():
        entries = load_entries(source)
    else:
        try:
            entries = faq_io.prepared(faq_io.read_file(source.name, source.read_bytes()))
        except faq_io.ImportFormatError as exc:
            raise click.ClickException(str(exc)) from exc
    results = lint_entries(entries, kb)
    knowledge = knowledge_findings(kb)
    for entry, findings in results:
        for finding in findings:
            click.echo(f"{entry.get('id', '')}\t{entry.get('question', '')}\t{finding}")
    for finding in knowledge:
        click.echo(f"知识库\t{finding.where}\t{finding}")
    count = sum(len(f) for _, f in results) + len(knowledge)
    if count:
        click.echo(f"发现 {count} 处引用问题（{len(results)} 条问答）。规则见 faq/README.md。", err=True)
        sys.exit(1)
    click.echo(f"检查了 {len(entries)} 条问答，法条引用没有发现问题。")


def register(cli: click.Group) -> None:
    """Add the `users` and `faq` command groups to bot.py's command line."""
    cli.add_command(users)
    cli.add_command(faq)
