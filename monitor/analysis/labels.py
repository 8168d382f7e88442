"""Reviewers' verdicts from the store as labelled posts.

Reviewers label CASES. A case's current label is its newest label row (labels are only
ever inserted, a correction is a new row). Every post of a case whose current verdict is
``hoax`` or ``not_hoax`` becomes one labelled row; cases whose current verdict is
``unsure`` are left out, because the reviewer's latest word is doubt, even when an earlier
row said something firmer.

Caveat for training: a case can hold posts that only talk about its claim (a user
correcting a forward, an official clarification) when the clustering put them there;
they inherit the case's verdict like its copies.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.analysis.frames import FRAME_COLUMNS, HOAX, STORE, VALID, empty_frame
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.posts import PostRow
from monitor.store.review import LabelRow

#: Extra columns of :func:`labels_from_store`, after :data:`FRAME_COLUMNS`.
LABEL_COLUMNS = ("post_id", "case_id", "verdict", "labelled_at", "region")
#: Verdicts that become training labels; ``unsure`` is not one of them.
VERDICT_LABELS = {"hoax": HOAX, "not_hoax": VALID}
#: Post platforms named like the corpus's ``register`` values; others keep their own name.
PLATFORM_REGISTERS = {"x": "tweet", "twitter": "tweet", "whatsapp": "whatsapp_forward"}


def platform_register(raw: Any) -> str | None:
    """Return the register of a stored post from its raw payload's ``platform`` (or None)."""
    if not isinstance(raw, dict):
        return None
    platform = str(raw.get("platform") or "").strip().lower()
    if not platform:
        return None
    return PLATFORM_REGISTERS.get(platform, platform)


def labels_from_store(session: Session) -> pd.DataFrame:
    """Return one row per post of every case whose current verdict is hoax or not_hoax.

    Columns: :data:`FRAME_COLUMNS` (``source`` is ``"store"``, ``claim_group`` is
    ``case:<id>``, ``topic`` the case's topic, ``register`` the post's platform, ``date`` the
    day it was published, else fetched) followed by :data:`LABEL_COLUMNS`. Rows are ordered
    by post id; an empty store gives an empty frame with these columns.
    """
    newest = (
        select(LabelRow.case_id, func.max(LabelRow.id).label("label_id"))
        .group_by(LabelRow.case_id)
        .subquery()
    )
    statement = (
        select(
            PostRow.id,
            PostRow.text,
            PostRow.published_at,
            PostRow.fetched_at,
            PostRow.raw,
            CaseRow.id,
            CaseRow.topic,
            CaseRow.region,
            LabelRow.verdict,
            LabelRow.category,
            LabelRow.created_at,
        )
        .join(newest, newest.c.label_id == LabelRow.id)
        .join(CaseRow, CaseRow.id == LabelRow.case_id)
        .join(CasePostRow, CasePostRow.case_id == CaseRow.id)
        .join(PostRow, PostRow.id == CasePostRow.post_id)
        .where(LabelRow.verdict.in_(list(VERDICT_LABELS)))
        .order_by(PostRow.id)
    )
    rows: list[dict[str, Any]] = []
    for (
        post_id,
        text,
        published_at,
        fetched_at,
        raw,
        case_id,
        topic,
        region,
        verdict,
        category,
        labelled_at,
    ) in session.execute(statement):
        label = VERDICT_LABELS[verdict]
        seen = published_at or fetched_at
        rows.append(
            {
                "text": text,
                "label": label,
                "y": int(label == HOAX),
                "topic": topic,
                "register": platform_register(raw),
                "claim_group": f"case:{case_id}",
                "date": seen.date() if seen is not None else None,
                "hoax_category": category if label == HOAX else None,
                "source": STORE,
                "file": None,
                "origin": f"post {post_id}",
                "post_id": post_id,
                "case_id": case_id,
                "verdict": verdict,
                "labelled_at": labelled_at,
                "region": region,
            }
        )
    if not rows:
        return empty_frame(LABEL_COLUMNS)
    frame = pd.DataFrame(rows, columns=[*FRAME_COLUMNS, *LABEL_COLUMNS], dtype=object)
    for column in ("y", "post_id", "case_id"):
        frame[column] = frame[column].astype(np.int64)
    return frame
