"""View models: what a page row shows, formatted once in Python instead of in the template.

Templates stay simple (and fast) when each row arrives with its texts ready; everything is
still escaped by Jinja when it is written out.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.review.queue import QueueItem
from monitor.web.i18n import Translator
from monitor.web.templating import Formatters


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One queue row, ready to render."""

    id: int
    title: str
    topic: str | None
    escalated: bool
    status: str
    status_label: str
    band: str
    band_label: str
    priority: str
    score: str
    posts: str
    reach: str
    region: str
    assignee: str
    due_iso: str
    due: str
    overdue: bool


def queue_rows(items: list[QueueItem], t: Translator, f: Formatters) -> list[QueueRow]:
    """The rows of a queue page, translated and formatted."""
    statuses: dict[str, str] = {}
    bands: dict[str, str] = {}
    central = t("region.central")
    rows = []
    for item in items:
        case = item.case
        if case.status not in statuses:
            statuses[case.status] = t.maybe("status", case.status)
        if item.band not in bands:
            bands[item.band] = t.maybe("band", item.band)
        rows.append(
            QueueRow(
                id=case.id,
                title=case.title,
                topic=case.topic,
                escalated=case.escalated_at is not None,
                status=case.status,
                status_label=statuses[case.status],
                band=item.band,
                band_label=bands[item.band],
                priority=f.num(case.priority, 2),
                score=f.pct(case.max_probability),
                posts=f.num(case.post_count),
                reach=f.num(case.engagement),
                region=case.region or central,
                assignee=item.assignee_name or "–",
                due_iso=f.iso(item.due_at),
                due=f.dt(item.due_at),
                overdue=item.overdue,
            )
        )
    return rows


#: How the priority's parts are shown: main factors, each followed by what it is made of.
PRIORITY_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("probability", ()),
    ("reach", ("engagement", "authors")),
    ("velocity", ("posts_per_hour", "earlier_posts_per_hour", "trend", "window_hours")),
    ("topic_weight", ("topic",)),
    ("known_boost", ("known_hoax",)),
    ("posts", ()),
)
_HIDDEN_PARTS = frozenset({"formula", "priority"})


@dataclass(frozen=True, slots=True)
class PartRow:
    """One line of the priority breakdown; ``detail`` lines belong to the factor above."""

    label: str
    value: str
    detail: bool


def _part_value(value: object, t: Translator, f: Formatters) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return t("common.yes") if value else t("common.no")
    if isinstance(value, int):
        return f.num(value)
    if isinstance(value, float):
        return f.num(value, 2)
    return str(value)


def priority_rows(parts: dict[str, object], t: Translator, f: Formatters) -> list[PartRow]:
    """The priority's parts as labelled lines, in formula order, unknown parts last."""
    rows: list[PartRow] = []
    shown: set[str] = set(_HIDDEN_PARTS)
    for factor, details in PRIORITY_LAYOUT:
        if factor in parts:
            rows.append(
                PartRow(t.maybe("priority_part", factor), _part_value(parts[factor], t, f), False)
            )
            shown.add(factor)
        for name in details:
            if name in parts:
                rows.append(
                    PartRow(t.maybe("priority_part", name), _part_value(parts[name], t, f), True)
                )
                shown.add(name)
    for name in sorted(set(parts) - shown):
        rows.append(PartRow(t.maybe("priority_part", name), _part_value(parts[name], t, f), False))
    return rows
