"""Registering a case inside WeChat (支持起诉 and wage-arrears intake): the conversation (flow.py, answers.py,
steps.py), what it asks per kind of matter (kinds.py), how answers are read (parse.py), what it says (texts.py),
where a case goes (routing.py), and the offer under the relevant answers (offer.py). Storage: storage/cases.py,
storage/intake_drafts.py; the staff side: console/cases.py."""

from __future__ import annotations

from intake.flow import IntakeFlow, IntakeSettings
from intake.offer import RegisterOffer
from storage import Store


def build_intake(settings, store: Store) -> tuple[IntakeFlow, RegisterOffer]:
    """The flow and the offer for the Dialogue, from Settings."""
    flow = IntakeFlow(
        store,
        IntakeSettings(
            routing=settings.procuratorates,
            promise_days=settings.CASE_CONTACT_PROMISE,
            retention_days=settings.CASE_RETENTION_DAYS,
            hours=settings.staff_hours,
            strict=settings.testing,
        ),
    )
    return flow, RegisterOffer(store)


__all__ = ["IntakeFlow", "IntakeSettings", "RegisterOffer", "build_intake"]
