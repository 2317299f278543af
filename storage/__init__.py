"""All SQL lives here, through sqlite-utils. The rest of the project calls these objects, never SQL."""

from __future__ import annotations

import os
import secrets

from storage.accounts import Accounts
from storage.answer_flags import AnswerFlags
from storage.audit import DataAudit
from storage.case_access import CaseAccess
from storage.cases import Cases
from storage.chat_state import ChatState
from storage.console_sessions import ConsoleSessions
from storage.consultations import ConsultationLog
from storage.conversations import Conversations
from storage.crypto import DataCipher
from storage.db import Database
from storage.faq_imports import FaqImports
from storage.faq_store import FaqStore
from storage.form_drafts import FormDrafts
from storage.inbox import CannedReplies, Inbox
from storage.intake_drafts import IntakeDrafts
from storage.llm_answers import LlmAnswers
from storage.log_search import LogSearch
from storage.login_throttle import LoginThrottle
from storage.logwriter import LogWriter
from storage.outbox import OpenIdVault, Outbox
from storage.replies import ReplyCache
from storage.spool import Spool


class Store:
    """The project's storage, opened on one SQLite file."""

    def __init__(
        self,
        path: str | os.PathLike,
        spool_path: str | os.PathLike | None = None,
        write_timeout: float = 0.5,
        nonce_window: int = 300,
        spool_reserve_bytes: int = 16 << 20,
        cipher: DataCipher | None = None,
    ):
        """`cipher` encrypts what people entrust to staff (storage/crypto.py); the app passes one keyed from its
        settings. Without one (a test, a tool) a random key is used: what it encrypts lasts only as long as this Store."""
        self.cipher = cipher or DataCipher(secret_key=secrets.token_hex(32))
        self.db = Database(path)
        self.db.write_wait_ms = int(write_timeout * 1000)
        self.log = ConsultationLog(self.db)
        self.log_search = LogSearch(self.db)  # the console's log list and exports
        self.replies = ReplyCache(self.db)
        # the webhook's rows: the database within write_timeout, else the spool beside it (or at spool_path)
        self.spool = Spool(spool_path or f"{path}.spool", spool_reserve_bytes)
        self.writer = LogWriter(self.db, self.replies, self.spool, write_timeout, nonce_window)
        self.chat = ChatState(self.db, self.spool)
        self.faq = FaqStore(self.db)
        self.faq_imports = FaqImports(self.db, self.faq)  # import batches, their undo, checked uploads
        self.drafts = FormDrafts(self.db)  # console forms typed while the login expired
        self.accounts = Accounts(self.db)
        self.sessions = ConsoleSessions(self.db)  # console logins, recorded on the server
        self.throttle = LoginThrottle(self.db)
        self.llm_answers = LlmAnswers(self.db)  # model answers for staff review (console)
        self.audit = DataAudit(self.db)  # who deleted what (storage/retention.py does the deleting)
        self.outbox = Outbox(self.db, self.cipher)  # staff messages waiting for a person (messaging/)
        self.openids = OpenIdVault(self.db, self.cipher)  # encrypted OpenIDs for 48 h, for pushing those messages
        self.inbox = Inbox(self.db, self.cipher)  # messages people leave for staff (encrypted), in threads
        self.canned = CannedReplies(self.db)  # common answers for staff replies
        self.flags = AnswerFlags(self.db)  # answers marked wrong, and per-entry usage
        self.conversations = Conversations(self.db)  # a consultation with the thread around it, replies as sent
        self.cases = Cases(self.db, self.cipher)  # registered cases and their history (intake/, console/cases.py)
        self.intake_drafts = IntakeDrafts(self.db, self.cipher)  # registrations being filled in, replies for retries
        self.case_access = CaseAccess(self.db)  # who viewed, revealed or exported a case

    def close(self) -> None:
        self.writer.close()
        self.db.close()


__all__ = ["Store"]
