"""Images, video, locations, links and files: a short polite reply pointing to text and the menu."""

from __future__ import annotations

from dialogue import Reply, texts
from handlers.context import Context
from storage.vocab import Outcome


def on_media(msg, ctx: Context) -> Reply:
    return Reply(texts.MEDIA_REPLY, Outcome.OTHER)
