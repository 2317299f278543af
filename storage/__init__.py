"""All SQL lives here, through sqlite-utils. The rest of the project calls these objects, never SQL."""

from __future__ import annotations

import os

from storage.accounts import Accounts
from storage.audit import DataAudit
from storage.chat_state import ChatState
from storage.console_sessions import ConsoleSessions
from storage.consultations import ConsultationLog
from storage.db import Database
from storage.faq_store import FaqStore
from storage.llm_answers import LlmAnswers
from storage.login_throttle import LoginThrottle
from storage.replies import ReplyCache


class Store:
    """The project's storage, opened on one SQLite file."""

    def __init__(self, path: str | os.PathLike):
        self.db = Database(path)
        self.log = ConsultationLog(self.db)
        self.replies = ReplyCache(self.db)
        self.chat = ChatState(self.db)
        self.faq = FaqStore(self.db)
        self.accounts = Accounts(self.db)
        self.sessions = ConsoleSessions(self.db)  # console logins, recorded on the server
        self.throttle = LoginThrottle(self.db)
        self.llm_answers = LlmAnswers(self.db)  # model answers for staff review (console)
        self.audit = DataAudit(self.db)  # who deleted what (storage/retention.py does the deleting)

    def close(self) -> None:
        self.db.close()


__all__ = ["Store"]
