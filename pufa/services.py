"""Wiring: the objects one app (one worker process) needs, built from Settings."""

from __future__ import annotations

import logging
from functools import cached_property

from wechatpy.crypto import WeChatCrypto

from dialogue import Dialogue, DialogueSettings
from faq.analyzer import Analyzer
from faq.loader import load_entries
from handlers.inflight import InFlight
from inbox.flow import LeaveMessageFlow
from intake import build_intake
from intake.casework import Casework
from knowledge import KnowledgeBase
from messaging import Messenger
from settings import Settings
from storage import Store
from storage.api_tokens import ApiTokens
from storage.crypto import DataCipher
from storage.privacy import pseudonym
from wechat.api import WeChatApi

log = logging.getLogger("pufa")

_ANALYZER: Analyzer | None = None


def shared_analyzer() -> Analyzer:
    """jieba's dictionary takes a second and tens of MB: load it once per process and share it."""
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = Analyzer()
    return _ANALYZER


def data_cipher(settings: Settings) -> DataCipher:
    """The key for what people entrust to staff: DATA_KEY, or derived from SECRET_KEY (the command line uses the
    same one, so `bot.py cases show` reads what the server wrote)."""
    return DataCipher(settings.DATA_KEY, "data:" + settings.SECRET_KEY)


def open_store(settings: Settings) -> Store:
    """The database of these settings, with the key that reads what is encrypted in it (also for commands)."""
    return Store(
        settings.DATABASE_PATH,
        spool_path=settings.SPOOL_PATH or None,
        write_timeout=settings.DB_WRITE_TIMEOUT,
        nonce_window=settings.WECHAT_TIMESTAMP_WINDOW,
        spool_reserve_bytes=settings.SPOOL_RESERVE_MB << 20,
        cipher=data_cipher(settings),
    )


def wechat_client(settings: Settings, store: Store) -> WeChatApi | None:
    """The WeChat API client, or None without WECHAT_APPID and WECHAT_APPSECRET. WeChat invalidates an
    access_token when another is fetched, so the token is shared through the database (storage/api_tokens.py)."""
    if not (settings.WECHAT_APPSECRET and settings.WECHAT_APPID):
        return None
    return WeChatApi(settings.WECHAT_API_BASE, settings.WECHAT_APPID, settings.WECHAT_APPSECRET, ApiTokens(store.db))


class Services:
    def __init__(self, settings: Settings, analyzer: Analyzer | None = None):
        self.settings = settings
        self.store = open_store(settings)
        self.analyzer = analyzer or shared_analyzer()
        self.knowledge = KnowledgeBase.load()
        # The shipped files only seed an empty database; after that the database is the source of truth.
        if not self.store.faq.count() and self.store.faq.seed(load_entries(settings.FAQ_DIR)):
            log.info("FAQ seeded from %s (%d entries)", settings.FAQ_DIR, self.store.faq.count())
        # One WeChat API client for the model's late answers and staff messages.
        self.wechat = wechat_client(settings, self.store)
        self.messenger = Messenger(self.store, self.wechat)
        self.llm = None
        if settings.llm_enabled:
            from llm import build_responder

            self.llm = build_responder(settings, self.store, self.knowledge, self.analyzer, self.wechat)
            log.info("LLM answers on: %s at %s", settings.LLM_MODEL, settings.LLM_BASE_URL)
        # A message for staff first: someone writing one is not registering a case, and the inbox flow only
        # starts on its own words or after its offer; then case registration (intake/).
        leave_message = LeaveMessageFlow(settings.staff_hours, settings.STAFF_REPLY_PROMISE, settings.HOTLINE_HOURS)
        self.intake, offer = build_intake(settings, self.store)
        if not settings.PROCURATORATE_NAME:
            log.warning("PROCURATORATE_NAME is not set: the registration's privacy notice names no procuratorate")
        self.casework = Casework(self.store, self.messenger, settings.staff_hours, settings.CASE_CONTACT_PROMISE)
        self.dialogue = Dialogue(
            self.store,
            self.analyzer,
            llm=self.llm,
            flows=(leave_message, self.intake),
            deliveries=(offer, leave_message, self.messenger),
            settings=DialogueSettings(hotline_hours=settings.HOTLINE_HOURS, leave_message=True),
        )
        self.inflight = InFlight()  # deliveries this process is handling now (retries wait for them)
        self.cryptos = []
        if settings.WECHAT_AES_KEY:
            self.cryptos.append(WeChatCrypto(settings.WECHAT_TOKEN, settings.WECHAT_AES_KEY, settings.WECHAT_APPID))
        if settings.WECHAT_AES_KEY_PREVIOUS:
            self.cryptos.append(
                WeChatCrypto(settings.WECHAT_TOKEN, settings.WECHAT_AES_KEY_PREVIOUS, settings.WECHAT_APPID)
            )

    @cached_property
    def _pseudonym_key(self) -> str:
        return self.settings.PSEUDONYM_KEY or ("pseudonym:" + self.settings.SECRET_KEY)

    def pseudonym(self, openid: str) -> str:
        return pseudonym(openid, self._pseudonym_key)

    def warm_up(self) -> None:
        """Build the matcher now rather than on the first message; reserve the spool's space while the disk has
        room, and replay whatever an earlier run left in it."""
        self.dialogue.matcher()
        self.store.spool.reserve()
        replayed = self.store.writer.replay()
        if replayed:
            log.info("replayed %d log rows spooled by an earlier run", replayed)
