"""Known hoaxes: import, recognising a resurfacing hoax, remembering published cases."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from monitor.claims.known import (
    KnownHoaxFileError,
    add_known_hoax_from_case,
    import_known_hoaxes,
    matches_for_case,
    parse_known_hoaxes,
    read_known_hoaxes,
)
from monitor.claims.merge import merge_cases, split_posts
from monitor.claims.settings import ClaimSettings
from monitor.pipeline.flag import flag_into_cases
from monitor.store.audit import AuditEventRow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.claims import ClaimFingerprintRow, KnownHoaxMatchRow, KnownHoaxRow
from monitor.store.db import Database
from tests.claims.builders import candidates, store_posts

REPO = Path(__file__).resolve().parents[2]
HEADER = "claim,verdict,hoax_category,clarification,clarification_url,clarified_on,issuing_office"
TELUR = (
    "Telur palsu buatan pabrik dari China beredar di pasar, cirinya cangkang mengilap dan "
    "kuning telur kenyal seperti karet."
)
TELUR_ROW = (
    f'"{TELUR}",hoax,fabricated,"Uji laboratorium tidak menemukan telur buatan.",'
    "https://example.org/k/telur,2023-11-02,Dinas Ketahanan Pangan"
)
TELUR_POST = (
    "ibu2 hati2 belanja telur 🥚 telur palsu buatan china udah beredar di pasar, cangkangnya "
    "mengilap kuningnya kenyal kaya karet #waspada"
)
SETTINGS = ClaimSettings()


def _import_telur(db: Database) -> None:
    with db.transaction() as session:
        records = parse_known_hoaxes(f"{HEADER}\n{TELUR_ROW}\n", "csv")
        import_known_hoaxes(session, records, SETTINGS)


def test_a_csv_file_is_read_with_dates_made_utc() -> None:
    records = parse_known_hoaxes(f"{HEADER}\n{TELUR_ROW}\n", "csv")
    assert len(records) == 1
    assert records[0].claim == TELUR
    assert records[0].clarified_at == datetime(2023, 11, 2, tzinfo=UTC)
    assert records[0].hoax_category == "fabricated"
    assert records[0].issuing_office == "Dinas Ketahanan Pangan"


def test_a_jsonl_file_is_read_the_same_way() -> None:
    line = json.dumps(
        {
            "claim": TELUR,
            "verdict": "Hoax",
            "clarification": "Tidak benar.",
            "clarified_on": "2023-11-02T09:00:00+07:00",
        }
    )
    [record] = parse_known_hoaxes(f"{line}\n\n", "jsonl")
    assert record.verdict == "hoax"
    assert record.clarified_at == datetime(2023, 11, 2, 2, 0, tzinfo=UTC)
    assert record.clarification_url is None


def test_every_bad_line_is_reported_and_nothing_is_returned() -> None:
    content = f"{HEADER}\n{TELUR_ROW}\n,hoax,,x,,2023-01-01,\nklaim,hoax,,x,,kemarin,\n"
    with pytest.raises(KnownHoaxFileError) as caught:
        parse_known_hoaxes(content, "csv")
    assert caught.value.errors == [
        "line 3: missing claim",
        "line 4: clarified_on 'kemarin' is not a date",
    ]
    with pytest.raises(KnownHoaxFileError, match="missing column"):
        parse_known_hoaxes("claim,verdict\nx,hoax\n", "csv")
    with pytest.raises(KnownHoaxFileError, match="line 1: invalid JSON"):
        parse_known_hoaxes("{not json\n", "jsonl")
    with pytest.raises(ValueError, match="unknown format"):
        parse_known_hoaxes("", "xml")


def test_importing_twice_adds_once_and_a_changed_row_is_updated(db: Database) -> None:
    records = read_known_hoaxes(REPO / "monitor" / "demo" / "known_hoaxes.csv")
    with db.transaction() as session:
        first = import_known_hoaxes(session, records, SETTINGS)
    with db.transaction() as session:
        again = import_known_hoaxes(session, records, SETTINGS)
    changed = parse_known_hoaxes(f"{HEADER}\n{TELUR_ROW}\n", "csv")
    with db.transaction() as session:
        import_known_hoaxes(session, changed, SETTINGS)
        updated = import_known_hoaxes(
            session,
            parse_known_hoaxes(f"{HEADER}\n{TELUR_ROW.replace('Uji', 'Hasil uji')}\n", "csv"),
            SETTINGS,
        )
    assert (first.added, first.updated, first.unchanged) == (len(records), 0, 0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(records))
    assert (updated.added, updated.updated) == (0, 1)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(KnownHoaxRow)) == len(records) + 1
        telur = session.scalar(select(KnownHoaxRow).where(KnownHoaxRow.claim == TELUR))
        assert telur is not None and telur.clarification.startswith("Hasil uji")
        assert telur.origin == "import"
        assert (
            session.scalar(
                select(func.count())
                .select_from(ClaimFingerprintRow)
                .where(ClaimFingerprintRow.known_hoax_id == telur.id)
            )
            == 1
        )


def test_a_resurfacing_known_hoax_is_recognised_with_its_clarification(db: Database) -> None:
    with db.transaction() as session:
        import_known_hoaxes(
            session, parse_known_hoaxes(f"{HEADER}\n{TELUR_ROW}\n", "csv"), SETTINGS
        )
    ids = store_posts(db, [TELUR_POST, "Harga telur ayam ras di pasar naik jadi Rp 32 ribu."])
    with db.transaction() as session:
        stats = flag_into_cases(session, candidates(db, ids))
    assert stats.resurfaced == 1
    with db.session() as session:
        case_id = session.scalar(select(CasePostRow.case_id).where(CasePostRow.post_id == ids[0]))
        other = session.scalar(select(CasePostRow.case_id).where(CasePostRow.post_id == ids[1]))
        assert case_id is not None and other is not None
        [match] = matches_for_case(session, case_id)
        assert matches_for_case(session, other) == []
        assert match.claim == TELUR
        assert match.clarification == "Uji laboratorium tidak menemukan telur buatan."
        assert match.clarification_url == "https://example.org/k/telur"
        assert match.issuing_office == "Dinas Ketahanan Pangan"
        assert match.clarified_at == datetime(2023, 11, 2, tzinfo=UTC)
        assert match.post_id == ids[0]
        assert match.similarity >= SETTINGS.known_hoax_threshold
        case = session.get(CaseRow, case_id)
        assert case is not None
        assert case.priority_parts["known_hoax"] is True
        assert case.priority_parts["known_boost"] == SETTINGS.known_hoax_boost
        event = session.scalar(
            select(AuditEventRow).where(AuditEventRow.action == "case.resurfacing")
        )
        assert event is not None and event.entity_id == str(case_id)


def test_a_published_case_becomes_a_known_hoax_that_its_later_copies_resurface(
    db: Database,
) -> None:
    ids = store_posts(
        db,
        [
            "Pertalite resmi dihapus mulai 1 Januari! SPBU di seluruh Indonesia hanya akan "
            "menjual Pertamax. Isi penuh tangki kendaraan sebelum akhir Desember.",
            "pertalite dihapus mulai 1 januari guys, SPBU cuma jual pertamax 😭 isi full tangki "
            "sebelum akhir desember",
            "Fwd: Pertalite resmi dihapus mulai 1 Januari! SPBU di seluruh Indonesia hanya akan "
            "menjual Pertamax.",
        ],
    )
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, ids[:2]))
        case_id = session.scalar(select(CaseRow.id))
        assert case_id is not None
        published = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
        known_id = add_known_hoax_from_case(
            session,
            case_id,
            clarification="Pertalite tetap dijual.",
            url="https://example.org/k/pertalite",
            published_at=published,
            office="Diskominfo",
        )
        again = add_known_hoax_from_case(
            session,
            case_id,
            clarification="Pertalite tetap dijual di semua SPBU.",
            url="https://example.org/k/pertalite-2",
            published_at=published,
            office="Diskominfo",
        )
        session.execute(update(CaseRow).values(status="published"))
    assert again == known_id
    with db.transaction() as session:
        stats = flag_into_cases(session, candidates(db, ids[2:]))
    assert (stats.opened, stats.resurfaced) == (1, 1)
    with db.session() as session:
        new_case = session.scalar(select(CasePostRow.case_id).where(CasePostRow.post_id == ids[2]))
        assert new_case is not None and new_case != case_id
        [match] = matches_for_case(session, new_case)
        assert match.known_hoax_id == known_id
        assert match.source_case_id == case_id
        assert match.clarification == "Pertalite tetap dijual di semua SPBU."
        assert match.clarification_url == "https://example.org/k/pertalite-2"
        assert matches_for_case(session, case_id) == []
        assert session.scalar(select(func.count()).select_from(KnownHoaxMatchRow)) == 1


def test_remembering_an_unknown_case_is_refused(db: Database) -> None:
    with pytest.raises(LookupError), db.transaction() as session:
        add_known_hoax_from_case(
            session,
            999,
            clarification="x",
            url=None,
            published_at=datetime(2026, 1, 1, tzinfo=UTC),
            office=None,
        )


def test_a_post_split_into_its_own_case_takes_its_known_hoax_along(db: Database) -> None:
    _import_telur(db)
    other = "Harga cabai rawit di Pasar Induk Kramat Jati tembus Rp 90 ribu per kilogram hari ini."
    ids = store_posts(db, [other, TELUR_POST])
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, ids))
        cases = dict(session.execute(select(CasePostRow.post_id, CasePostRow.case_id)).all())
        merge_cases(session, cases[ids[0]], [cases[ids[1]]], "reviewer")
    with db.transaction() as session:
        new_case = split_posts(session, cases[ids[0]], [ids[1]], "reviewer")
    with db.session() as session:
        assert [m.claim for m in matches_for_case(session, new_case)] == [TELUR]


def test_importing_a_hoax_links_the_open_cases_that_already_resurface_it(db: Database) -> None:
    ids = store_posts(
        db,
        [
            TELUR_POST,
            "Fwd: telur palsu buatan china sudah beredar di pasar, cangkang mengilap, kuning "
            "telurnya kenyal seperti karet. Hati-hati belanja!",
            "Harga telur ayam ras di pasar naik jadi Rp 32 ribu.",
        ],
    )
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, ids[1:2]))
        session.execute(update(CaseRow).values(status="published"))
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, [ids[0], ids[2]]))
        cases = dict(session.execute(select(CasePostRow.post_id, CasePostRow.case_id)).all())
        assert len(set(cases.values())) == 3
        before = session.get(CaseRow, cases[ids[0]])
        assert before is not None and before.priority_parts["known_hoax"] is False
        priority_before = before.priority
    with db.transaction() as session:
        result = import_known_hoaxes(
            session, parse_known_hoaxes(f"{HEADER}\n{TELUR_ROW}\n", "csv"), SETTINGS
        )
    assert (result.added, result.resurfaced) == (1, 1)
    with db.session() as session:
        [match] = matches_for_case(session, cases[ids[0]])
        assert match.claim == TELUR and match.post_id == ids[0]
        assert matches_for_case(session, cases[ids[1]]) == []  # published: its own clarification
        assert matches_for_case(session, cases[ids[2]]) == []
        case = session.get(CaseRow, cases[ids[0]])
        assert case is not None and case.priority_parts["known_hoax"] is True
        assert case.priority == pytest.approx(priority_before * SETTINGS.known_hoax_boost)
    with db.transaction() as session:
        again = import_known_hoaxes(
            session, parse_known_hoaxes(f"{HEADER}\n{TELUR_ROW}\n", "csv"), SETTINGS
        )
    assert (again.unchanged, again.resurfaced) == (1, 0)
