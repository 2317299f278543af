"""One table of settings: name, default, type, help. Read from the environment, checked at start.

`Settings.from_env()` is the only place that reads os.environ; the app factory takes a Settings object.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEMO_TOKEN = "demo-token"
ROOT = Path(__file__).resolve().parent


def _bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    type: type
    help: str
    secret: bool = False


# The documented table (README lists every row; a test checks it does).
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "WECHAT_TOKEN", DEMO_TOKEN, str, "公众号后台「服务器配置」里的 Token。不设置时用演示 Token 并在启动时打印。"
    ),
    Setting("WECHAT_AES_KEY", "", str, "EncodingAESKey（43 位）。设置后支持兼容模式和安全模式。", secret=True),
    Setting(
        "WECHAT_AES_KEY_PREVIOUS", "", str, "更换 EncodingAESKey 时填旧的那个：旧密钥加密的消息仍能解开。", secret=True
    ),
    Setting(
        "WECHAT_ALLOW_PLAINTEXT",
        False,
        bool,
        "设置了 EncodingAESKey 仍接受明文推送（仅在公众号后台仍是明文模式、正在切换时临时打开）。",
    ),
    Setting("WECHAT_APPID", "", str, "公众号 AppID。安全模式解密校验和调用接口时需要。"),
    Setting("WECHAT_APPSECRET", "", str, "公众号 AppSecret。设置后可用客服消息接口异步发送大模型答案。", secret=True),
    Setting("WECHAT_API_BASE", "https://api.weixin.qq.com", str, "微信接口地址（测试时指向本机假服务器）。"),
    Setting("WECHAT_TIMESTAMP_WINDOW", 300, int, "请求时间戳允许的偏差（秒），超出拒绝（防重放）。"),
    Setting("MAX_BODY_BYTES", 65536, int, "webhook 请求体上限（字节），超出返回 413。"),
    Setting(
        "REQUEST_READ_TIMEOUT",
        10.0,
        float,
        "一个请求（请求头加请求体）必须在多少秒内传完，超时返回 408 并断开（较大的上传按每 64 KB 多给 1 秒）。"
        "请求传完之前不占工作线程，慢速连接拖不住 webhook。",
    ),
    Setting("DATABASE_PATH", str(ROOT / "data" / "bot.db"), str, "SQLite 数据库文件路径。"),
    Setting(
        "DB_WRITE_TIMEOUT",
        0.5,
        float,
        "webhook 写咨询记录时最多等数据库多久（秒）；写不进（被锁、只读、磁盘满、I/O 错误）就照常回复，记录先进暂存文件，"
        "数据库恢复后自动补写。",
    ),
    Setting(
        "SPOOL_PATH",
        "",
        str,
        "暂存文件路径；空 = 数据库文件旁的 `数据库名.spool`。放到另一块磁盘上，数据库所在的盘坏了也不丢记录。",
    ),
    Setting("SPOOL_RESERVE_MB", 16, int, "启动时给暂存文件预留的空间（MB），磁盘写满后仍能暂存约 8,000 条记录。"),
    Setting(
        "SECRET_KEY",
        "",
        str,
        "会话签名和用户化名的密钥。生产环境请设置；不设置时在数据库目录生成并保存随机密钥（.secret_key）。",
        secret=True,
    ),
    Setting("PSEUDONYM_KEY", "", str, "用户 OpenID 化名（HMAC）专用密钥；不设置时由 SECRET_KEY 派生。", secret=True),
    Setting(
        "DATA_KEY",
        "",
        str,
        "加密存放个人托付的信息（案件登记、给工作人员的留言、推送回复要用的 OpenID）的密钥（Fernet 格式，44 位）；"
        "不设置时由 SECRET_KEY 派生。换了它，已加密的内容就读不出来了。",
        secret=True,
    ),
    Setting("FAQ_DIR", str(ROOT / "faq" / "entries"), str, "FAQ 种子文件目录（数据库为空时导入）。"),
    Setting("WEB_WORKERS", 2, int, "gunicorn 工作进程数。"),
    Setting(
        "WEB_THREADS",
        0,
        int,
        "每个工作进程的线程数；0 = 自动（不用大模型时 2，用大模型时 8：等大模型的请求要占线程）。",
    ),
    Setting(
        "LLM_BASE_URL", "", str, "OpenAI 兼容接口地址（如 DeepSeek、通义千问、本地 vLLM/Ollama）。不设置则不用大模型。"
    ),
    Setting("LLM_API_KEY", "", str, "大模型接口密钥。", secret=True),
    Setting("LLM_MODEL", "", str, "大模型名称。"),
    Setting("LLM_BUDGET_SECONDS", 4.0, float, "被动回复等待大模型的时间（秒）；超时改为稍后送达。"),
    Setting("LLM_TIMEOUT_SECONDS", 30.0, float, "大模型单次请求的总超时（秒）。"),
    Setting(
        "HOTLINE_HOURS",
        "工作日办公时间，以当地检察院公布为准",
        str,
        "12309 检察服务热线和当地检察服务中心的接待时间，用户要找人工时告诉他们（如“工作日 8:30–12:00、14:30–18:00”）。",
    ),
    Setting(
        "STAFF_HOURS",
        "周一至周五 09:00-12:00,14:30-17:30",
        str,
        "工作人员上班时间（留言后多久有人看、案件期限按工作日算都用它），写法如“周一至周五 09:00-12:00,14:30-17:30”。",
    ),
    Setting(
        "STAFF_REPLY_PROMISE",
        2,
        int,
        "给工作人员留言后多少个工作日内回复（留言的确认消息里告诉对方，按工作日算出具体日期；工作人员信箱里超期的标红）。",
    ),
    Setting("HOLIDAYS", "", str, "法定节假日（不算工作日），逗号分隔的日期，如“2026-10-01,2026-10-02”。"),
    Setting("EXTRA_WORKDAYS", "", str, "调休上班的周末（算工作日），逗号分隔的日期。"),
    Setting("SESSION_HOURS", 8, int, "控制台登录会话有效期（小时）。"),
    Setting(
        "PROCURATORATE_NAME",
        "",
        str,
        "公众号所属检察院的名称（如“××市××区人民检察院”）：案件登记前的个人信息告知写明由它收集；"
        "用户所在县（区）不在 PROCURATORATES 里的登记也归它。不设置时告知里写“本公众号所属的人民检察院”。",
    ),
    Setting(
        "PROCURATORATES",
        "",
        str,
        "案件登记时让用户选的县（区），逗号分隔，决定案件归哪个检察院：每项写“县区名”（检察院为“县区名人民检察院”）"
        "或“县区名=检察院名称”，如“城关区,七里河区,榆中县=榆中县人民检察院”。空 = 全部归 PROCURATORATE_NAME。",
    ),
    Setting(
        "CASE_CONTACT_PROMISE",
        3,
        int,
        "案件登记后几个工作日内电话联系申请人：登记成功时告诉申请人，也是控制台超期提醒的期限"
        "（工作日按 STAFF_HOURS、HOLIDAYS、EXTRA_WORKDAYS 算）。",
    ),
    Setting(
        "CASE_RETENTION_DAYS",
        365,
        int,
        "案件办结（含不予受理、转交、撤回）后保留多少天：之后删除姓名、电话、经过等个人信息（匿名化），"
        "统计数字不变；由 `python bot.py purge --apply` 执行。0 = 永久保留（不建议）。",
    ),
    Setting(
        "RETENTION_DAYS",
        180,
        int,
        "咨询原文保留天数：更早的咨询删除原文和用户化名（匿名化），统计数字不变；由 `python bot.py purge --apply` "
        "执行（建议每天定时运行）。0 = 永久保留（不建议）。",
    ),
    Setting("HTTPS", False, bool, "部署在 HTTPS 后面时设为 1：会话 Cookie 加 Secure。"),
    Setting(
        "TRUSTED_PROXIES",
        0,
        int,
        "前面有几层反向代理（用 deploy/nginx.conf 时设为 1）：从 X-Forwarded-For 取用户真实地址（登录限流按地址计），"
        "从 X-Forwarded-Proto 知道是 HTTPS。没有代理时保持 0，否则任何人都能伪造地址。",
    ),
    Setting("LOG_LEVEL", "INFO", str, "日志级别。"),
)

_BY_NAME = {s.name: s for s in SETTINGS}
_KEY_FILE = re.compile(r"[0-9a-f]{64}")


class SecretKeyError(SystemExit):
    """The saved key file is unusable: the start stops with a message in Chinese (exit status 1)."""


def read_or_create_key(path: Path) -> str:
    """The 64-hex-digit key saved in `path`; a new one, written atomically, when there is none yet."""
    fix = "请检查文件权限和内容，或改用环境变量 SECRET_KEY 显式设置密钥（已保存的化名依赖原来的密钥，不要随意更换）。"
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return _create_key(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretKeyError(f"无法读取密钥文件 {path}（{exc.__class__.__name__}: {exc}）。{fix}") from exc
    if not _KEY_FILE.fullmatch(text):
        raise SecretKeyError(f"密钥文件 {path} 的内容无效（应为 64 位十六进制字符，实际 {len(text)} 个字符）。{fix}")
    return text


def _create_key(path: Path) -> str:
    key = secrets.token_hex(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".secret_key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # never replaces a key another process saved meanwhile
        except FileExistsError:
            return read_or_create_key(path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise SecretKeyError(
            f"无法保存新生成的密钥文件 {path}（{exc.__class__.__name__}: {exc}）。"
            "请确认数据库目录可写，或用环境变量 SECRET_KEY 显式设置密钥。"
        ) from exc
    return key


def _convert(setting: Setting, raw: str) -> Any:
    if setting.type is bool:
        return _bool(raw)
    if setting.type is int:
        return int(raw)
    if setting.type is float:
        return float(raw)
    return raw


def _fernet_key(value: str) -> bool:
    from cryptography.fernet import Fernet

    try:
        Fernet(value.encode())
        return True
    except (ValueError, TypeError):
        return False


@dataclass
class Settings:
    """Typed settings. Build with `Settings.from_env()` or `Settings(values={...})` in tests."""

    values: dict[str, Any] = field(default_factory=dict)
    testing: bool = False

    def __post_init__(self) -> None:
        merged = {s.name: s.default for s in SETTINGS}
        for key, value in self.values.items():
            if key not in _BY_NAME:
                raise ValueError(f"unknown setting {key}")
            merged[key] = value
        self.values = merged
        self.generated_secret = False
        if not self.values["SECRET_KEY"]:
            self.values["SECRET_KEY"] = self._local_secret()
            self.generated_secret = True

    def _local_secret(self) -> str:
        """A random key kept beside the database, so pseudonyms and sessions survive restarts without a setting.

        A key file that cannot be read, or does not hold a key, stops the start: a fresh random key would silently
        change every user's pseudonym, their conversation state and the console sessions on each restart."""
        db = self.values["DATABASE_PATH"]
        if self.testing or db == ":memory:":
            return secrets.token_hex(32)
        path = Path(db).parent / ".secret_key"
        return read_or_create_key(path)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values = {}
        for setting in SETTINGS:
            raw = env.get(setting.name)
            if raw is not None and raw != "":
                try:
                    values[setting.name] = _convert(setting, raw)
                except ValueError as exc:
                    raise SystemExit(f"设置 {setting.name} 的值无效：{raw!r}（{exc}）") from exc
        return cls(values=values)

    @property
    def demo_mode(self) -> bool:
        return self.WECHAT_TOKEN == DEMO_TOKEN

    @property
    def web_threads(self) -> int:
        if self.WEB_THREADS > 0:
            return self.WEB_THREADS
        return 8 if self.llm_enabled else 2

    @property
    def staff_hours(self):
        """STAFF_HOURS, HOLIDAYS and EXTRA_WORKDAYS read together (messaging.hours.Hours)."""
        from messaging.hours import Hours

        return Hours.parse(self.STAFF_HOURS, self.HOLIDAYS, self.EXTRA_WORKDAYS)

    @property
    def procuratorates(self):
        """PROCURATORATE_NAME and PROCURATORATES read together (intake.routing.Routing)."""
        from intake.routing import Routing

        return Routing.parse(self.PROCURATORATE_NAME, self.PROCURATORATES)

    @property
    def llm_enabled(self) -> bool:
        return bool(self.LLM_BASE_URL and self.LLM_MODEL)

    def problems(self) -> list[str]:
        """What is wrong with these settings (empty when fine)."""
        out = []
        key = self.WECHAT_AES_KEY
        if key and not re.fullmatch(r"[A-Za-z0-9]{43}", key):
            out.append("WECHAT_AES_KEY 必须是 43 位字母或数字（公众号后台的 EncodingAESKey）")
        old = self.WECHAT_AES_KEY_PREVIOUS
        if old and not re.fullmatch(r"[A-Za-z0-9]{43}", old):
            out.append("WECHAT_AES_KEY_PREVIOUS 必须是 43 位字母或数字")
        if key and not self.WECHAT_APPID:
            out.append("设置了 WECHAT_AES_KEY 时必须同时设置 WECHAT_APPID")
        if self.WECHAT_TIMESTAMP_WINDOW <= 0:
            out.append("WECHAT_TIMESTAMP_WINDOW 必须大于 0")
        if self.RETENTION_DAYS < 0:
            out.append("RETENTION_DAYS 不能是负数（0 = 永久保留）")
        if not 0 <= self.TRUSTED_PROXIES <= 5:
            out.append("TRUSTED_PROXIES 必须是 0–5")
        if self.REQUEST_READ_TIMEOUT <= 0:
            out.append("REQUEST_READ_TIMEOUT 必须大于 0")
        if not 0 < self.DB_WRITE_TIMEOUT <= 2:
            out.append("DB_WRITE_TIMEOUT 必须在 0 到 2 秒之间（微信 5 秒内收不到回复就重发）")
        if self.DATA_KEY and not _fernet_key(self.DATA_KEY):
            out.append("DATA_KEY 必须是 Fernet 密钥（44 位 URL 安全 base64，可用 python3 -c 'from cryptography.fernet import Fernet;print(Fernet.generate_key().decode())' 生成）")
        try:
            _ = self.staff_hours
        except ValueError as exc:
            out.append(f"STAFF_HOURS / HOLIDAYS / EXTRA_WORKDAYS：{exc}")
        if not 1 <= self.STAFF_REPLY_PROMISE <= 30:
            out.append("STAFF_REPLY_PROMISE 必须是 1–30（个工作日）")
        if not 1 <= self.CASE_CONTACT_PROMISE <= 30:
            out.append("CASE_CONTACT_PROMISE 必须是 1–30 个工作日")
        if self.CASE_RETENTION_DAYS < 0:
            out.append("CASE_RETENTION_DAYS 不能是负数（0 = 永久保留）")
        try:
            _ = self.procuratorates
        except ValueError as exc:
            out.append(f"PROCURATORATES：{exc}")
        if self.SPOOL_RESERVE_MB < 1:
            out.append("SPOOL_RESERVE_MB 至少为 1")
        return out

    def public_items(self) -> list[tuple[str, str]]:
        """(name, value) pairs with secrets hidden, for start-up logs."""
        out = []
        for f in SETTINGS:
            value = self.values[f.name]
            shown = ("***" if value else "") if f.secret else str(value)
            out.append((f.name, shown))
        return out


__all__ = ["SETTINGS", "Settings", "Setting", "DEMO_TOKEN", "SecretKeyError"]
