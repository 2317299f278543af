"""What staff do with a case, the same from the console and the command line: move it along the statuses (with an
internal note and an optional message to the applicant), record the first call, assign it, refer it; and the
green-channel clock (working days since registration against the promise)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from intake import texts
from messaging import Messenger
from messaging.hours import Hours
from storage import Store
from storage.db import CHINA_TZ, now_local
from storage.vocab import CASE_ENDED, CASE_STATUS_LABELS, CASE_STATUS_ORDER, REFERRAL_BODIES, CaseStatus

KIND = "case_update"  # the outbox kind of messages about a case


MAX_MESSAGE = 500  # characters: a message to the applicant must fit one WeChat reply with the status line


class CaseworkError(ValueError):
    """A change that is not allowed (the message, in Chinese, says why)."""


def _checked_message(message: str | None) -> str:
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise CaseworkError(f"给申请人的话请控制在 {MAX_MESSAGE} 字以内（微信一条消息的长度有限）")
    return message


@dataclass(frozen=True)
class Clock:
    working_days: int  # whole working days since the day of registration
    deadline: date  # the last day of the promise
    contacted: bool
    overdue: bool  # not contacted and the promise's last day has passed
    days_over: int  # working days past the deadline
    late: bool = False  # contacted, but after the deadline

    @property
    def label(self) -> str:
        if self.contacted:
            return f"已联系（第 {self.working_days} 个工作日{'，超期' if self.late else ''}）"
        if self.overdue:
            return f"超期 {self.days_over} 个工作日" if self.days_over else "已超期"
        return f"已过 {self.working_days} 个工作日"


def allowed_next(status: str) -> list[str]:
    """Forward along the main line (steps may be skipped), or off it to 不予受理 / 转交; nothing after an end."""
    if status in CASE_ENDED:
        return []
    order = [str(s) for s in CASE_STATUS_ORDER]
    later = order[order.index(status) + 1 :] if status in order else order[1:]
    return later + [CaseStatus.REJECTED.value]


class Casework:
    def __init__(self, store: Store, messenger: Messenger, hours: Hours, promise_days: int):
        self.store = store
        self.messenger = messenger
        self.hours = hours
        self.promise_days = promise_days

    def clock(self, case: dict, now: datetime | None = None) -> Clock:
        now = now or now_local()
        created = datetime.fromtimestamp(case["created"], CHINA_TZ)
        contacted = bool(case.get("first_contact"))
        end = datetime.fromtimestamp(case["first_contact"], CHINA_TZ) if contacted else now
        deadline = self.hours.add_working_days(created, self.promise_days)
        overdue = not contacted and case["status"] not in CASE_ENDED and now.date() > deadline
        over = self.hours.working_days_between(datetime.combine(deadline, time()), now) if overdue else 0
        late = contacted and end.date() > deadline
        return Clock(self.hours.working_days_between(created, end), deadline, contacted, overdue, over, late)

    def within_promise(self, case: dict) -> bool | None:
        """First contact within the promised working days (None: not contacted yet)."""
        if not case.get("first_contact"):
            return None
        created = datetime.fromtimestamp(case["created"], CHINA_TZ)
        contact = datetime.fromtimestamp(case["first_contact"], CHINA_TZ)
        return contact.date() <= self.hours.add_working_days(created, self.promise_days)

    def change_status(self, case: dict, status: str, actor: str, note: str = "", message: str = "") -> dict:
        """Move the case on; the applicant is told (through messaging) with the message, if any. Returns
        {"event": id, "outbox": row or None}."""
        if status not in allowed_next(case["status"]):
            raise CaseworkError(
                f"不能从“{CASE_STATUS_LABELS.get(case['status'], case['status'])}”改为"
                f"“{CASE_STATUS_LABELS.get(status, status)}”（只能按顺序往后走，办结、不予受理、转交、撤回后不能再改）"
            )
        message = _checked_message(message)
        if status == CaseStatus.REJECTED and not message:
            raise CaseworkError("不予受理要写明理由（会告诉申请人）")
        if status == CaseStatus.REFERRED:
            raise CaseworkError("转交请用“转交”（要选接收机构并写明理由）")
        with self.store.db.transaction(5000):
            event = self.store.cases.set_status(
                case, status, actor, note=note.strip() or None, public_note=message or "", message=message or None
            )
        return self._tell(case, event, status, message, actor)

    def refer(self, case: dict, body: str, reason: str, actor: str, consented: bool, message: str = "") -> dict:
        """Refer the case to another body, with the reason; the applicant must have agreed to their details being
        passed on (个人信息保护法第二十三条)."""
        if case["status"] in CASE_ENDED:
            raise CaseworkError("这件登记已经结束，不能再转交")
        if body not in REFERRAL_BODIES:
            raise CaseworkError("请选择接收机构")
        if not (reason or "").strip():
            raise CaseworkError("请写明转交理由")
        if not consented:
            raise CaseworkError("转交前要征得申请人同意把登记信息转给接收机构（个人信息保护法第二十三条）")
        message = _checked_message(message)
        detail = {"referred_to": body, "consent": True}  # the reason goes in the (encrypted) note
        with self.store.db.transaction(5000):
            event = self.store.cases.set_status(
                case, CaseStatus.REFERRED, actor, note=reason.strip(), public_note=message or "", message=message or None,
                detail=detail,
            )  # fmt: skip
        case = {**case, "referred_to": body}
        return self._tell(case, event, CaseStatus.REFERRED, message, actor)

    def note(self, case: dict, actor: str, note: str = "", message: str = "") -> dict:
        note, message = (note or "").strip(), _checked_message(message)
        if not note and not message:
            raise CaseworkError("备注和给申请人的话至少写一项")
        with self.store.db.transaction(5000):
            event = self.store.cases.add_note(case, actor, note or None, message or None)
        return self._tell(case, event, None, message, actor) if message else {"event": event, "outbox": None}

    def contacted(self, case: dict, actor: str, note: str = "") -> int:
        if case.get("first_contact"):
            raise CaseworkError("已经记录过第一次联系")
        with self.store.db.transaction(5000):
            return self.store.cases.mark_contacted(case, actor, (note or "").strip() or None)

    def assign(self, case: dict, assignee: str | None, actor: str) -> int:
        with self.store.db.transaction(5000):
            return self.store.cases.assign(case, assignee or None, actor)

    def _tell(self, case: dict, event: int, status: str | None, message: str, actor: str) -> dict:
        """The applicant hears of every status change and every message, unless their data is gone."""
        if case.get("anonymised") or not case["user_id"].startswith("u_"):
            return {"event": event, "outbox": None}
        shown = {**case, "status": status} if status else case
        text = texts.case_update(shown, status is not None, message)
        row = self.messenger.send(case["user_id"], KIND, case["number"], text, actor)
        self.store.cases.link_message(event, row["id"])
        return {"event": event, "outbox": row}
