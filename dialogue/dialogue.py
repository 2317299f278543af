"""What the bot says to one message, decided in a fixed order:

1. safety: danger now gets the emergency number first (the dialogue/safety package, dialogue/emergency.py);
2. flows: a person registering a case or leaving a message for staff continues there (see Flow);
3. requests about the service itself: a person, registering, progress (dialogue/intents.py);
4. a model answer still on its way (llm/), a numbered choice, a greeting;
5. the question: read against the conversation so far (a follow-up, a second question in the same message, a
   condition such as age), matched against the FAQ, answered, answered tentatively, offered as choices, or the
   fallback.
Messages waiting for the person (a staff reply) go out with whatever the reply is (see Delivery).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

import cn2an

from dialogue import texts
from dialogue.context import Context, carried_on, context_state, read_context, strip_new_question
from dialogue.emergency import (
    after_alarm_thanks,
    asks_for_number,
    emergency_reply,
    numbers_reply,
    safe_again_reply,
    still_reply,
)
from dialogue.focus import focus_answer
from dialogue.intents import Intent, asks_if_anyone_is_there, asks_to_be_contacted, story_request
from dialogue.own_figures import FIGURES, own_figure
from dialogue.questions import Composer, Plan, asked_kind, question_clauses
from dialogue.reply import Delivery, Flow, LlmResponder, Reply
from dialogue.safety import INJURY, UNEXPLAINED, VIOLENCE, detect_danger, is_short_update, over_now
from dialogue.scope import employer_asks, out_of_scope_probability
from dialogue.turn import Turn
from faq.analyzer import Analyzer
from faq.matcher import ANSWERED, SUGGESTED, TENTATIVE, Decision, Matcher
from faq.normalize import clean_display
from faq.render import brief_answer, render_answer
from storage import Store
from storage.vocab import Outcome

# After an answer on these topics, fear or a threat said without "now" (好害怕, 他说要弄死我) is read as now.
DANGER_TOPICS = frozenset({"domestic_violence"})
SCOPE_THRESHOLD = 0.5  # out-of-scope probability above which a tentative match or choices become the fallback
SCOPE_ANSWERED_THRESHOLD = 0.75  # ... and above which even an answer does, unless its match is near-exact (0.8 until the fifteenth round)
SCOPE_KEEP_SCORE = 0.9
# A long story (30+ characters) whose best entry is a fair guess (0.3+) is told in the FAQ's own terms more often than
# the scope classifier, trained on short messages, credits: a tentative answer there needs 0.7, not 0.5
SCOPE_LONG_CHARS = 30
SCOPE_LONG_MIN_SCORE = 0.3
SCOPE_LONG_THRESHOLD = 0.7
# A question that names a covered subject as what it asks (算不算工伤, 算家暴吗, 能申请法律援助吗)
_ASKS_ABOUT_COVERED = re.compile(
    r"(?:算不算|算|是不是|能不能(?:认定|申请|算)?|能(?:认定|申请)|可以(?:认定|申请))(?:是)?"
    r"(?:工伤|家暴|家庭暴力|劳动关系|拒不支付|童工|欠薪|恶意欠薪|法律援助|司法救助|支持起诉|遗弃|虐待)"
)
# Violence against the writer at home: the family topics cover it, whatever else the message mentions
# (told afterwards too: 老公打过我, 结婚五年被打过好多回, 以前挨打的时候拍过照片, 他说离婚就杀了我)
_HURT_AT_HOME = re.compile(
    r"(?<![不没])打(?:了|过)?(?:我|俺)(?![们妈爸])|(?:我|俺)(?:被|让|挨)[^，。？！\s]{0,4}打|"
    r"被(?:他|老公|男人|丈夫|对象|前夫|婆婆|公公)?(?:打|揍)(?!电话|钱|工|针|卡|款)|挨打|挨揍|家暴|家庭暴力|"
    r"(?:杀|弄死|打死)(?:了)?(?:我|俺)"
)
_FAMILY_TOPICS = frozenset({"domestic_violence", "women", "minors", "elderly", "disabled"})
# A parent's home taken or a parent shut out by a child (儿子住进我的房子 不让我回去住 房本是我的名字): the elderly entries
# cover it, whatever the house's words sound like to the scope classifier (a property dispute)
_CHILDREN = r"(?:儿子|闺女|女儿|子女|儿媳|女婿|孙子|大儿|二儿|小儿|老大|老二)"
_PARENT_SHUT_OUT = re.compile(
    _CHILDREN + r"[^。？！?!]{0,30}"
    r"(?:不让(?:我|俺)(?:回|进|住)|(?:把|将)(?:我|俺)(?:赶|撵|轰)|(?:赶|撵)(?:我|俺)出|占了(?:我|俺)的房|霸占|过户到(?:自己|他)|扔出来)"
)
# A parent's savings taken by a child (我爸妈的存款被我大哥拿走了, 儿子把我的养老钱取走了): the elderly entries on
# property cover it, whatever the bank's words sound like to the scope classifier
_KIN = r"(?:大哥|二哥|三哥|哥哥|哥|弟弟|弟|姐姐|姐|妹妹|妹|" + _CHILDREN + ")"
_SAVINGS = r"(?:存款|养老钱|退休金|养老金|积蓄|存折|工资卡|银行卡|低保钱|补贴)"
_PARENT_ROBBED = re.compile(
    r"(?:爸妈|父母|我爸|我妈|俺爹|俺娘|老人|老娘|老爹|爹妈|爹娘|我|俺)的?" + _SAVINGS + r"[^。？！?!]{0,4}(?:被|让)(?:我|俺)?" + _KIN
    + r"|" + _KIN + r"(?:把|将)(?:我|俺|爸妈|父母|老人)?(?:的)?" + _SAVINGS
)
# Hurt at work (在工地上被吊车碰伤了 医药费都是我自己垫的): the work-injury entries cover it, whatever the rest is about
_HURT_AT_WORK = re.compile(
    r"(?:工地|车间|厂里|工厂|作坊|上班|干活|施工|脚手架|架子上|吊车|塔吊|机器|冲床)[^。？！?!]{0,12}"
    r"(?:受伤|伤了|碰伤|砸伤|压伤|烫伤|摔伤|轧伤|绞伤|划伤|摔断|压断|砸断|轧断|切断|骨折)"
)
# Wages owed told (包工头嫌我干活慢把我撵走了 给了一半的钱 还差五千八, 老板说月底一起结 总共欠我们七万多): the wage
# entries cover it, whatever the trade's or the place's words sound like to the scope classifier; not a loan, a
# deposit, rent, a refund or a payment for goods (朋友借了钱不还, 房东不退押金, 老板欠我货款)
_WAGE_WORD = r"(?:工资|工钱|薪水|薪资|血汗钱|辛苦钱|劳务费|人工费|加班费)"
_OWED = r"(?:欠|拖欠|拖着|不给|没给|不发|没发|不结|没结|少给|克扣|扣了|只给了?|给了一半|还差)"
_WORK_PARTY = r"(?:包工头|工头|老板|老板娘|班组长|厂里|厂子|公司|单位|项目部|总包|工地)"
_WAGES_OWED = re.compile(
    _WAGE_WORD + r"[^。？！?!]{0,10}" + _OWED + "|" + _OWED + r"[^。？！?!]{0,10}" + _WAGE_WORD + "|"
    + _WORK_PARTY + r"[^。？！?!]{0,20}" + _OWED + r"[^。？！?!]{0,8}(?:钱|万|千|块|元|\d)"
)
_NOT_WAGES = re.compile(
    r"借|贷|货|退款|退钱|押金|定金|房租|租金|彩礼|保险|理赔|网购|网店|快递|车祸|分红|股|税|冻结|信用卡|赊|客人|顾客|"
    r"斤|室友|水电|话费|照片|广告|平台|退(?!休)"
)
_NOT_WAGES_UNLESS_NAMED = re.compile(r"工程款|材料款|沙子|砂石|石料")  # a supplier's or a firm's money, unless wages are named


class _WagesOwed:
    """_WAGES_OWED that is not about a loan, a deposit, tax or goods (a pattern-like object for _TOLD_IN_SCOPE)."""

    @staticmethod
    def search(text: str) -> bool:
        if not _WAGES_OWED.search(text) or _NOT_WAGES.search(text):
            return False
        return not _NOT_WAGES_UNLESS_NAMED.search(text) or bool(re.search(_WAGE_WORD, text))


_WAGE_TOPICS = frozenset({"wage_arrears", "criminal_wage", "arbitration_litigation", "support_prosecution", "legal_aid"})
# What a story tells that the FAQ covers, whatever its other words sound like to the scope classifier: the pattern, and
# the topics whose best entry then stands (see Dialogue._outside)
_TOLD_IN_SCOPE: tuple[tuple[re.Pattern | type, frozenset[str]], ...] = (
    # 对象打我 我俩没领证 在租的房子一起住: violence told, whatever the rest (a rented flat); the help for its victims too
    # (他说离婚就杀了我 … 起诉离婚法院会准不: the procuratorate's support for a victim's lawsuit, legal aid for one)
    (_HURT_AT_HOME, _FAMILY_TOPICS | {"support_prosecution", "legal_aid"}),
    (_PARENT_SHUT_OUT, frozenset({"elderly"})),  # 儿子住进我的房子 不让我回去住: not a property dispute
    (_PARENT_ROBBED, frozenset({"elderly"})),  # 我爸妈的存款被我大哥拿走了: not a bank question
    (_HURT_AT_WORK, frozenset({"work_injury"})),  # 在工地上被吊车碰伤了 医药费都是我自己垫的: not the medical bills
    (_WagesOwed, _WAGE_TOPICS),  # 干到一半被撵走了 给了一半的钱 还差五千八: not a question about money in general
)
HANDOFF_ENTRY = "proc-12309-services"  # the handoff reply's subject, for the follow-ups after it
NEAR_TIE_SHARE = 0.8  # a runner-up scoring at least this share of the best is a near-tie (its brief is shown)
STORY_OFFER_SCORE = 0.35  # a story told before asking for a person: its match is offered from this score on
# after the handoff reply: asking how to reach the people it names (电话多少, 几点上班, 地址在哪)
_CONTACT_RE = re.compile(r"电话|号码|联系|地址|几点|上班时间|办公时间")
_NUMBERED = re.compile(r"\d+\. ")  # a numbered line of a reply
_CHOICE_RE = re.compile(r"^(?:第)?\s*(\d{1,2})\s*(?:个|号|条|项|[.。、)）])?$")
MAX_TOPIC_CHOICES = 9


def _related_topics(previous: Context, m: Matcher) -> set[str]:
    """The conversation's topic and the topics of the entries its last answer names for follow-ups (the answer on
    legal aid for victims of violence names the legal-aid entries): a guess there is still on the subject."""
    named = (m.by_id.get(previous.entry or "") or {}).get("followups") or {}
    return {previous.topic} | {m.by_id[e]["topic"] for e in named.values() if e in m.by_id}


def remember(reply: Reply, previous: Context | None, text: str) -> None:
    """Keep this answer (its entry and topic) and what was said in the conversation state, for the follow-up."""
    state = reply.chat_state or {}
    state["ctx"] = context_state(previous, text, reply.faq_id, reply.topic, reply.outcome == TENTATIVE)
    reply.chat_state = state


@dataclass(frozen=True)
class DialogueSettings:
    """What the conversation says about the people behind it (from Settings)."""

    hotline_hours: str = "工作日办公时间"
    leave_message: bool = False  # a staff inbox exists: the handoff reply offers "回复 留言"


def parse_choice(text: str) -> int | None:
    """The number in a reply like "2", "２", "②", "二", "第2个"; None when the text is not a bare number."""
    t = unicodedata.normalize("NFKC", text).strip()
    if not t or len(t) > 5:
        return None
    if not t[0].isdigit() and t.lstrip("第")[:1] in "零一二两三四五六七八九十":
        try:
            t = cn2an.transform(t, "cn2an")
        except (ValueError, KeyError, IndexError):
            return None
    m = _CHOICE_RE.match(t)
    return int(m.group(1)) if m else None


def _closed(state: dict) -> dict:
    """The state after 谢谢 or 算了: the conversation stays, marked closed (要带啥 still follows the answer, a new story
    starts fresh)."""
    return {**state, "ctx": {**state["ctx"], "thanked": True}}


class Dialogue:
    """The conversation logic, over a live FAQ index that follows edits made in any process."""

    def __init__(
        self,
        store: Store,
        analyzer: Analyzer,
        llm: LlmResponder | None = None,
        flows: tuple[Flow, ...] = (),
        deliveries: tuple[Delivery, ...] = (),
        settings: DialogueSettings | None = None,
    ):
        self.store = store
        self.analyzer = analyzer
        self.llm = llm
        self.flows = tuple(flows)
        self.deliveries = tuple(deliveries)
        self.settings = settings or DialogueSettings()
        self._lock = threading.Lock()
        self._matcher: Matcher | None = None
        self._version = -1

    # the live FAQ index
    def matcher(self) -> Matcher:
        """The matcher for the current FAQ version, rebuilt when any process changed the FAQ."""
        version = self.store.faq.version()
        if self._matcher is None or version != self._version:
            with self._lock:
                if self._matcher is None or version != self._version:
                    entries = self.store.faq.all(include_disabled=False)
                    self._matcher = Matcher(entries, self.analyzer)
                    self._version = version
        return self._matcher

    def answerable(self, text: str) -> bool:
        """Whether the FAQ answers `text` with confidence and it is one of its topics (a guessed request for a person
        yields to it: 检察官能帮我要工资吗)."""
        m = self.matcher()
        decision = m.decide(text)
        return decision.outcome == ANSWERED and out_of_scope_probability(text) < SCOPE_THRESHOLD

    # replies
    def respond(self, user_id: str, text: str) -> Reply:
        """answer_text, storing the conversation state at once (for callers other than the webhook)."""
        reply = self.answer_text(user_id, text)
        self.save_state(user_id, reply)
        return reply

    def save_state(self, user_id: str, reply: Reply) -> None:
        if reply.chat_state is not None:
            self.store.chat.set(user_id, reply.chat_state)

    def menu(self, user_id: str) -> Reply:
        return Reply(texts.MENU_TEXT, Outcome.MENU, chat_state={"menu": True})

    def welcome(self, user_id: str) -> Reply:
        return Reply(texts.WELCOME_TEXT, Outcome.EVENT, chat_state={"menu": True})

    def entry_reply(
        self, entry_id: str, score: float | None = None, m: Matcher | None = None, **detail
    ) -> Reply | None:
        entry = (m or self.matcher()).by_id.get(entry_id)
        if entry is None:
            return None
        return Reply(
            render_answer(entry),
            ANSWERED,
            faq_id=entry_id,
            score=score,
            topic=entry["topic"],
            detail=detail,
            chat_state={},
        )

    def topic_list(self, user_id: str, menu_no: int) -> Reply:
        item = next((m for m in texts.MENU if m[0] == menu_no), None)
        if item is None:
            return self.menu(user_id)
        _, label, topics = item
        name = label.split("（")[0]
        # In the menu's topic order: the matcher keeps entries sorted by topic id, which would fill menu 1
        # (欠薪讨薪) with criminal_wage entries before any wage_arrears one.
        entries = sorted(
            (e for e in self.matcher().entries if e["topic"] in topics), key=lambda e: topics.index(e["topic"])
        )[:MAX_TOPIC_CHOICES]
        if not entries:  # every entry of the topic disabled in the console
            text = f"【{name}】这方面的常见问题正在整理中。请直接用一句话说出您的问题，或回复 0 看问题菜单。"
            return Reply(text, Outcome.MENU, topic=topics[0], detail={"menu": menu_no}, chat_state={"menu": True})
        lines = [f"【{name}】常见问题："]
        lines += [f"{i}. {e['question']}" for i, e in enumerate(entries, start=1)]
        lines.append(texts.TOPIC_LIST_TAIL)
        state = {"choices": [e["id"] for e in entries]}
        return Reply("\n".join(lines), Outcome.MENU, topic=topics[0], detail={"menu": menu_no}, chat_state=state)

    def suggest(self, user_id: str, decision: Decision) -> Reply:
        choices = decision.choices[:3]
        lines = [texts.SUGGEST_HEAD] + [f"{i}. {c.question}" for i, c in enumerate(choices, start=1)]
        lines.append(texts.SUGGEST_TAIL)
        best = decision.best
        return Reply(
            "\n".join(lines),
            SUGGESTED,
            faq_id=best.entry_id,
            score=best.score,
            topic=best.topic,
            detail={"choices": [[c.entry_id, c.score] for c in choices]},
            chat_state={"choices": [c.entry_id for c in choices]},
        )

    def tentative(self, user_id: str, decision: Decision, m: Matcher | None = None, plan: Plan | None = None) -> Reply:
        """A fairly sure match: say which question we answer, answer it, and offer the runners-up by number; a
        runner-up that is one of the message's other questions (`plan.more`) comes with its brief answer if it fits."""
        best = decision.best
        reply = self.entry_reply(best.entry_id, best.score, m)
        body = f"{texts.TENTATIVE_HEAD}{best.question}\n\n{reply.text}"
        if len(body.encode("utf-8")) > texts.MAX_REPLY_BYTES:
            body = reply.text
        choices = decision.choices[:3]
        mm = m or self.matcher()
        briefs = [plan.brief(c.entry_id, mm) if plan is not None else None for c in choices]
        items = [(c.question, brief) for c, brief in zip(choices, briefs, strict=True)]
        plain, fitted = texts.numbered_block(body, texts.TENTATIVE_MORE, items, texts.TENTATIVE_TAIL)
        # (every near-tied choice's brief; only the first's when the message asked other things too, whose list comes
        # under this one and needs the room)
        for k, close in enumerate(choices if plan is None or not plan.more else choices[:1]):
            if briefs[k] is not None or close.score < best.score * NEAR_TIE_SHARE or close.entry_id not in mm.by_id:
                continue
            # a near-tie: the runner-up's brief answer (its opening rule and article) under its number, so that a
            # person who meant that question reads its answer at once, as long as every choice still fits
            items[k] = (close.question, brief_answer(mm.by_id[close.entry_id]))
            richer, fitted_richer = texts.numbered_block(body, texts.TENTATIVE_MORE, items, texts.TENTATIVE_TAIL)
            if fitted_richer < fitted or any(b and b not in richer for _, b in items):
                items[k] = (close.question, None)  # (a brief already shown is not traded for this one)
                break
            plain = richer
        body = plain
        offered = choices[:fitted]
        reply.chat_state = {"choices": [o.entry_id for o in offered]} if offered else {}
        reply.text = body
        reply.outcome = TENTATIVE
        reply.detail = {"tentative": True, "choices": [[o.entry_id, o.score] for o in offered]}
        return reply

    def fallback(self, decision: Decision | None = None, previous: Context | None = None, text: str = "") -> Reply:
        """The honest "答不上来". A conversation under way goes on past it: 派出所来人了 就是说了他两句 matches nothing on
        its own, and the question after it (就不能给他个啥处理吗) is still about the violence answered before."""
        best = decision.best if decision else None
        detail = {"best": [best.entry_id, best.score]} if best else {}
        score = best.score if best else None
        state = self._offer_state("fallback")
        if previous is not None and previous.entry:
            state["ctx"] = carried_on(previous, text)
        body = texts.FALLBACK_TEXT if self.settings.leave_message else texts.FALLBACK_BASE
        return Reply(body, Outcome.UNANSWERED, score=score, detail=detail, chat_state=state)

    def handoff(self, user_id: str, said: str = "") -> Reply:
        """An honest answer to "is there a person?": an automatic assistant, and how to reach staff. The reply is
        about 12309, so a follow-up (打过去能干啥, 要钱吗) goes on from the FAQ's answer on what 12309 does. A story
        told before the request (…包工头跑了 有没有检察官能帮我) is not dropped: the FAQ's answer to it is offered
        under the reply, and the conversation goes on from that answer."""
        text = texts.handoff_text(self.settings.hotline_hours, self.settings.leave_message)
        state = {**self._offer_state("handoff"), "handoff": True}
        m = self.matcher()
        entry = m.by_id.get(HANDOFF_ENTRY)
        if said and entry is not None:
            state["ctx"] = context_state(None, said, HANDOFF_ENTRY, entry["topic"])
        detail: dict = {}
        found = story_request(said) if said else None
        decision = m.decide(found[1]) if found and found[1] else None
        if (
            decision is not None
            and decision.outcome in (ANSWERED, TENTATIVE)
            and decision.best.score >= STORY_OFFER_SCORE
            and decision.best.entry_id != HANDOFF_ENTRY
        ):
            best = decision.best
            # numbered after the reply's own list (1. 打 12309 …), so each number means one thing
            number = 1 + sum(1 for line in text.splitlines() if _NUMBERED.match(line))
            extra = f"\n\n{texts.STORY_OFFER}\n{number}. {best.question}\n{texts.TENTATIVE_TAIL}"
            if len((text + extra).encode("utf-8")) <= texts.MAX_REPLY_BYTES:
                text += extra
                state["choices"] = [""] * (number - 1) + [best.entry_id]
                # the offered entry is a guess until it is read: follow-ups treat it as a tentative answer
                state["ctx"] = context_state(None, found[1], best.entry_id, best.topic, tentative=True)
                detail["story"] = [best.entry_id, best.score]
        return Reply(text, Outcome.HANDOFF, chat_state=state, detail=detail)

    def _asks_how_to_reach_staff(self, text: str) -> bool:
        """Right after the handoff reply, a bare 去哪里找 / 在哪 / 啥时候有人 / 电话多少 / 要带啥 asks about the people it named,
        not for the FAQ entry that happens to answer "where" best (去哪里找 alone reads as where to get legal aid)."""
        composer = Composer(self.matcher(), self.analyzer)
        asked = asked_kind(text)
        if asked is not None and asked[0] in ("where", "time", "materials"):  # (its 带上身份证和手里的材料 answers 要带啥)
            return composer.bare(text)
        contact = _CONTACT_RE.search(text)  # 电话多少: yes; 法律援助电话多少: a question of its own
        return contact is not None and not composer.says_more(text[: contact.start()] + text[contact.end() :])

    def _offer_state(self, where: str) -> dict:
        """After a reply that offers 留言, the inbox flow takes "好" (or "3" after the handoff list) as yes."""
        return {"menu": True, "offer": where} if self.settings.leave_message else {"menu": True}

    def choose(self, user_id: str, number: int, state: dict | None = None) -> Reply:
        if number == 0:
            return self.menu(user_id)
        state = self.store.chat.get(user_id) if state is None else state
        choices = state.get("choices") or []
        if 1 <= number <= len(choices) and choices[number - 1]:
            reply = self.entry_reply(choices[number - 1], via="choice", choice=number)
            if reply is not None:
                previous = read_context(state)
                reply.chat_state = {"ctx": context_state(previous, "", reply.faq_id, reply.topic)}
                reply.chat_state["ctx"]["said"] = list(previous.said) if previous else []
                return reply
        if 1 <= number <= len(texts.MENU):
            return self.topic_list(user_id, number)
        return self.menu(user_id)

    def answer_text(self, user_id: str, text: str, openid: str = "", msg_key: str | None = None) -> Reply:
        """The reply to a text (or recognised voice) message."""
        turn = Turn(
            user_id=user_id,
            text=clean_display(text),
            store=self.store,
            openid=openid,
            msg_key=msg_key,
            answerable=self.answerable,
        )
        reply = self._reply(turn)
        for delivery in self.deliveries:
            reply = delivery.deliver(turn, reply)
        return reply

    def answer_click(self, user_id: str, intent: Intent, openid: str = "", msg_key: str | None = None) -> Reply:
        """A menu button for a service request (登记, 查询进度, 留言给工作人员, 找人工): the same as asking in words."""
        turn = Turn(user_id=user_id, text="", store=self.store, openid=openid, msg_key=msg_key, clicked=intent)
        reply = self._service_request(turn) or self.menu(user_id)
        for delivery in self.deliveries:
            reply = delivery.deliver(turn, reply)
        return reply

    def _service_request(self, turn: Turn) -> Reply | None:
        """Flows first (they start on their own requests), then what the bot says itself."""
        for flow in () if turn.dry_run else self.flows:  # a preview has no conversation to go on with
            reply = flow.handle(turn)
            if reply is not None:
                return reply
        if turn.intent in (Intent.HANDOFF, Intent.LEAVE_MESSAGE) or (
            turn.intent is Intent.REGISTER and asks_to_be_contacted(turn.text)
        ):
            return self.handoff(turn.user_id, turn.text)
        if turn.intent is Intent.REGISTER:  # no intake flow took it: how to apply for 支持起诉
            reply = self.entry_reply("sp-how-apply")
            if reply.faq_id:  # a follow-up (要带啥, 要钱吗) goes on from this answer
                remember(reply, read_context(turn.state), turn.text)
            return reply
        return None

    def preview(self, text: str) -> tuple[Reply, Decision | None, bool]:
        """What a person with no conversation yet would receive for `text` (the console's 试一试), through the same
        steps as answer_text but writing nothing: no flow runs, nor any delivery of a person's own messages (they
        belong to a person's conversation), and the model is not asked. Returns (the reply as sent, the matcher's decision, whether the model would be
        asked first)."""
        turn = Turn(user_id="", text=clean_display(text), store=self.store, dry_run=True, answerable=self.answerable)
        reply = self._reply(turn)
        for delivery in self.deliveries:  # those that add to every reply alike (an offer line), not a person's messages
            if getattr(delivery, "in_preview", False):
                reply = delivery.deliver(turn, reply)
        return reply, turn.extra.get("decision"), bool(turn.extra.get("model_first"))

    def _reply(self, turn: Turn) -> Reply:
        t = turn.text
        if not t:
            return Reply(texts.EMPTY_TEXT, Outcome.MENU)
        previous = read_context(turn.state)
        alarmed = previous is not None and bool(previous.danger)  # the last reply was an emergency reply
        ongoing = alarmed or previous is not None and previous.topic in DANGER_TOPICS
        after = (previous.danger or VIOLENCE) if ongoing else ""
        danger = detect_danger(t, ongoing=ongoing, after=after, alarm_before=alarmed)
        if danger is not None and danger.rule == UNEXPLAINED and turn.intent is not None:
            danger = None  # 让检察院联系我 right after an emergency reply: the service asked for, nothing said of danger
        if danger is not None:
            return self.emergency(turn, danger, previous if alarmed else None)
        if alarmed and over_now(t) and not question_clauses(t):
            # 安全了, 孩子找到了, 警察来了 right after an emergency reply: the conversation and the reply's numbers stay
            # (消防来了, then 人都出来了: still read as an update on that danger)
            return self._alarm_goes_on(safe_again_reply(bool(turn.state.get("choices")), previous.danger), turn, previous)
        if alarmed and texts.THANKS.match(t):
            # 嗯, 好的, 谢谢 right after an emergency reply (after 不想活了 above all): not 不客气 and the menu
            return self._alarm_goes_on(after_alarm_thanks(previous.danger), turn, previous)
        if alarmed and asks_for_number(t):
            return self.numbers(turn, previous)
        if self.llm is not None and not turn.dry_run and asks_if_anyone_is_there(t):
            pending = self.llm.pending_reply(turn.user_id)  # 在吗 while a model answer is on its way: here it is
            if pending is not None:
                return pending
        reply = self._service_request(turn) if turn.intent or self.flows else None
        if reply is not None:
            return reply
        if turn.state.get("handoff") and self._asks_how_to_reach_staff(t):
            return self.handoff(turn.user_id, t)
        if self.llm is not None and not turn.dry_run:
            pending = self.llm.pending_reply(turn.user_id)
            if pending is not None:
                return pending
        number = parse_choice(t)
        if number is not None:
            return self.choose(turn.user_id, number, turn.state)
        if texts.THANKS.match(t) and turn.state.get("ctx"):
            return Reply(texts.THANKS_TEXT, Outcome.MENU, chat_state=_closed(turn.state))
        if texts.PUT_ASIDE.match(t):
            # 那算了, 我再想想: a short word back, not the last answer again (nor an entry sharing a word); a conversation
            # under way stays, closed like after thanks
            state = _closed(turn.state) if turn.state.get("ctx") else {"menu": True}
            return Reply(texts.PUT_ASIDE_TEXT, Outcome.MENU, chat_state=state)
        if texts.THANKS.match(t) and (turn.state.get("menu") or turn.state.get("choices")):
            # 谢谢 / 好的 after the menu or a topic's list: a short word back, and the list's numbers still work
            return Reply(texts.THANKS_TEXT, Outcome.MENU, chat_state=dict(turn.state))
        if self.analyzer.is_greeting(t) or texts.ASKS_VOICE.match(t):
            return self.menu(turn.user_id)  # the menu says voice is fine (打字、语音都行)
        if texts.THANKS.match(t) and texts.THANKED.search(t):
            return Reply(texts.THANKS_TEXT, Outcome.MENU)  # 感谢感谢 with no answer before it: thanks all the same
        return self.question(turn)

    def emergency(self, turn: Turn, danger, alarmed: Context | None = None) -> Reply:
        """Danger now: the emergency line first, then the FAQ's answer when it answers with confidence a message
        that asks something (他拿着刀 保护令咋申请) or reports family violence (他把我关屋里 手机也收了), else the route
        written for the danger. Any other bare report (工友从架子上掉下来了 不动了) gets the route: an entry that
        merely shares its words (喝醉了干活从架子上掉下来) would answer another question. `alarmed`: the conversation
        when the last reply was an emergency reply too (a short update then gets the short reply)."""
        m = self.matcher()
        decision = turn.extra["decision"] = m.decide(turn.text)
        update = alarmed is not None and is_short_update(turn.text)
        asks = bool(question_clauses(turn.text))  # (还能咋办, 有没有心理疏导的电话 ask: the whole reply answers)
        confident = decision.outcome == ANSWERED and (asks or decision.best.topic in DANGER_TOPICS and not update)
        answer = self.entry_reply(decision.best.entry_id, decision.best.score, m) if confident else None
        if answer is None and not asks and update:
            # 风好大, 人还没醒, 门快撑不住了 right after an emergency reply: the line for the danger the conversation is
            # about, again, and a step for the moment, in a few words (120 too when someone is hurt now); the first
            # reply's numbered choices and its conversation stay
            reply = still_reply(alarmed.danger, turn.text, hurt=danger.category == INJURY)
            reply.detail["rule"] = danger.rule
            return self._alarm_goes_on(reply, turn, alarmed)
        reply = emergency_reply(danger, turn.text, {eid: e["question"] for eid, e in m.by_id.items()}, answer)
        ctx = reply.chat_state.setdefault("ctx", {})
        ctx.update(context_state(None, turn.text, ctx.get("entry"), ctx.get("topic"), bool(ctx.get("tentative"))))
        # the next message is read as still in danger (好害怕, 他还在外面; Context.danger)
        ctx["danger"] = danger.category
        return reply

    @staticmethod
    def _alarm_goes_on(reply: Reply, turn: Turn, previous: Context) -> Reply:
        """A reply right after an emergency reply that keeps its conversation: the danger it was about (the next
        message is still read as an update on it) and its numbered choices."""
        ctx = carried_on(previous, turn.text)
        ctx["danger"] = previous.danger
        choices = turn.state.get("choices")
        reply.chat_state = {"ctx": ctx, **({"choices": choices} if choices else {})}
        return reply

    @staticmethod
    def numbers(turn: Turn, previous: Context) -> Reply:
        """打哪个电话 right after an emergency reply: the numbers for that danger, and the conversation stays on it."""
        reply = numbers_reply(previous.danger)
        ctx = carried_on(previous, turn.text)
        ctx["danger"] = previous.danger
        reply.chat_state = {"ctx": ctx}
        return reply

    def question(self, turn: Turn) -> Reply:
        """The answer to a question, read with the conversation so far."""
        m = self.matcher()
        text, fresh = strip_new_question(turn.text)
        previous = None if fresh else read_context(turn.state)
        plan = Composer(m, self.analyzer).plan(text, previous)
        decision = turn.extra["decision"] = plan.decision
        if employer_asks(text):
            # 我是老板 员工要去仲裁 我咋应对: the bot answers workers; an employer gets the fallback, not a worker's answer
            reply = self.fallback(decision, previous, text)
            reply.text = texts.EMPLOYER_LEAD + "\n\n" + reply.text
            reply.detail["employer"] = True
            return reply
        outside = (
            plan.how != "followup"
            # 在手机上咋查 after the answer on checking records: an answer on the conversation's own topic
            and not (previous and decision.outcome == ANSWERED and decision.best.topic == previous.topic)
            and self._outside(text, decision, m)
            and not (
                # 现在都快一年了 是不是过期了 after a story of unpaid wages: read with the story, the question is in scope
                previous is not None
                and previous.said
                and not previous.thanked
                # (a guess too, when it is on the conversation's topic: 我这个才8000块钱 他还能起诉不 after 一裁终局)
                and (decision.outcome == ANSWERED or decision.best is not None and decision.best.topic in _related_topics(previous, m))
                and not self._outside(f"{previous.said[-1]} {text}", decision, m)
            )
        )
        if outside:
            # Not an FAQ question: the model may still answer it if it is about work the FAQ does not cover
            # (外卖骑手, 主播); otherwise, and without a model, the fallback.
            reply = self._model_answer(turn, text, decision, outside=True) if self.llm else None
            return reply or self.fallback(decision, previous, text)
        if decision.outcome == ANSWERED:
            best = decision.best
            reply = self.entry_reply(best.entry_id, best.score, m)
            if decision.candidates[1:]:
                reply.detail["runner_up"] = [decision.candidates[1].entry_id, decision.candidates[1].score]
            if (
                plan.how == "followup"
                and previous is not None
                and previous.entry == best.entry_id
                and text not in previous.said  # the same question again: the whole answer again
                and reply.text
            ):
                # 要带啥 after the answer that lists them: those lines
                focused = focus_answer(reply.text, text, m.by_id.get(best.entry_id, {}).get("question", ""))
                if focused is not None:
                    reply.text, reply.detail["focused"] = focused
        elif decision.outcome == TENTATIVE and self.llm is None:
            reply = self.tentative(turn.user_id, decision, m, plan)
        else:
            reply = None
            if self.llm is not None and decision.outcome != ANSWERED:
                reply = self._model_answer(turn, text, decision)
            if reply is None:
                if decision.outcome == TENTATIVE:
                    reply = self.tentative(turn.user_id, decision, m, plan)
                elif decision.outcome == SUGGESTED and decision.choices:
                    reply = self.suggest(turn.user_id, decision)
                    if previous is not None and previous.entry:
                        # like the fallback, the choices keep a conversation under way: 他最近又在外面放狠话 gets
                        # guesses, and 到期了还能续吗 after it is still about the protection order answered before
                        reply.chat_state = {**(reply.chat_state or {}), "ctx": carried_on(previous, text)}
                else:
                    return self.fallback(decision, previous, text)
        if plan.how:
            reply.detail["read_as"] = plan.how
        if reply.faq_id and reply.outcome == ANSWERED and reply.text:
            question = m.by_id.get(reply.faq_id, {}).get("question", "")
            reply.text = texts.named_if_reversed(reply.text, question, text)  # 能不管我吗 → not a bare 能。
        if reply.faq_id in FIGURES and reply.text:
            said = " ".join([*(previous.said if previous else ()), text])
            reply.text = texts.with_note(reply.text, own_figure(reply.faq_id, said))  # 干了四年 → 4个月工资
        if reply.faq_id and reply.outcome in (ANSWERED, TENTATIVE):
            plan.add_more(reply, m)
            remember(reply, previous, text)
        return reply

    def _model_answer(self, turn: Turn, text: str, decision: Decision, outside: bool = False) -> Reply | None:
        """The model's answer when the FAQ is not sure or the question is outside its topics (None: none, fall back
        to the FAQ's own reply). A preview only notes that the model would be asked."""
        if turn.dry_run:
            turn.extra["model_first"] = True
            return None
        return self.llm.answer(turn.user_id, turn.openid, text, decision, turn.msg_key, outside=outside)

    @staticmethod
    def _outside(text: str, decision: Decision, m: Matcher) -> bool:
        """A question outside the covered topics that the matcher would answer (tentatively) with an entry that
        merely shares its words: the fallback is the honest answer. A confident, clear match is kept."""
        if decision.best is not None and any(
            decision.best.topic in topics and told.search(text) for told, topics in _TOLD_IN_SCOPE
        ):
            return False
        p = out_of_scope_probability(text)
        if decision.outcome == ANSWERED or _ASKS_ABOUT_COVERED.search(text):
            # 出差路上摔骨折了 这种算不算工伤: the question names a covered subject itself, whatever the story's words
            return p >= SCOPE_ANSWERED_THRESHOLD and (decision.best is None or decision.best.score < SCOPE_KEEP_SCORE)
        if len(text) >= SCOPE_LONG_CHARS and decision.best is not None and decision.best.score >= SCOPE_LONG_MIN_SCORE:
            return p >= SCOPE_LONG_THRESHOLD
        return p >= SCOPE_THRESHOLD

    @staticmethod
    def context(turn: Turn) -> Context | None:
        return read_context(turn.state)
