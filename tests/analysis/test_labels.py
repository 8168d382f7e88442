"""Reviewers' verdicts on cases become labelled posts (newest verdict, unsure left out)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from monitor.analysis.frames import FRAME_COLUMNS
from monitor.analysis.labels import LABEL_COLUMNS, labels_from_store, platform_register
from monitor.store.db import Database
from tests.analysis.builders import add_case, add_labels, add_posts, add_user


def _labels(db: Database) -> pd.DataFrame:
    with db.session() as session:
        return labels_from_store(session)


def test_every_post_of_a_case_inherits_its_newest_verdict(db: Database) -> None:
    user = add_user(db)
    posts = add_posts(db, ["vaksin bikin mandul, sebarkan!!", "Fwd: vaksin bikin mandul"])
    case = add_case(db, posts)
    add_labels(db, case, user, ["not_hoax", ("hoax", "fabricated")])

    frame = _labels(db)

    assert frame["post_id"].tolist() == posts
    assert frame["label"].tolist() == ["hoax", "hoax"]
    assert frame["y"].tolist() == [1, 1]
    assert frame["hoax_category"].tolist() == ["fabricated", "fabricated"]
    assert set(frame["verdict"]) == {"hoax"}


def test_a_correction_to_not_hoax_makes_the_posts_valid(db: Database) -> None:
    user = add_user(db)
    case = add_case(db, add_posts(db, ["jadwal posyandu minggu ini"]))
    add_labels(db, case, user, [("hoax", "misleading"), "not_hoax"])

    frame = _labels(db)

    assert frame["label"].tolist() == ["valid"]
    assert frame["hoax_category"].tolist() == [None]


def test_a_case_whose_newest_verdict_is_unsure_gives_no_rows(db: Database) -> None:
    user = add_user(db)
    doubted = add_case(db, add_posts(db, ["kabar gempa besar besok"], source="a"))
    add_labels(db, doubted, user, [("hoax", "fabricated"), "unsure"])
    firm = add_case(db, add_posts(db, ["banjir di Bekasi hari ini"], source="b"))
    add_labels(db, firm, user, ["unsure", "not_hoax"])

    frame = _labels(db)

    assert frame["case_id"].tolist() == [firm]


def test_unlabelled_cases_and_posts_outside_cases_give_no_rows(db: Database) -> None:
    user = add_user(db)
    labelled = add_posts(db, ["klaim satu"], source="a")
    add_labels(db, add_case(db, labelled), user, ["not_hoax"])
    add_case(db, add_posts(db, ["klaim dua"], source="b"))
    add_posts(db, ["tanpa kasus"], source="c")

    assert _labels(db)["post_id"].tolist() == labelled


def test_rows_carry_the_case_topic_post_platform_date_and_a_case_group(db: Database) -> None:
    user = add_user(db)
    published = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    posts = add_posts(db, ["LPG naik Desember!!"], platform="X", published=[published])
    case = add_case(db, posts, topic="prices_fuel")
    add_labels(db, case, user, [("hoax", "fabricated")])

    row = _labels(db).iloc[0]

    assert row["topic"] == "prices_fuel"
    assert row["register"] == "tweet"
    assert row["date"] == date(2026, 11, 21)
    assert row["claim_group"] == f"case:{case}"
    assert row["source"] == "store"
    assert row["origin"] == f"post {posts[0]}"
    assert row["text"] == "LPG naik Desember!!"


def test_an_empty_store_gives_an_empty_frame_with_every_column(db: Database) -> None:
    frame = _labels(db)

    assert frame.empty
    assert list(frame.columns) == [*FRAME_COLUMNS, *LABEL_COLUMNS]


def test_platforms_map_to_corpus_registers_and_others_keep_their_name() -> None:
    assert platform_register({"platform": "whatsapp"}) == "whatsapp_forward"
    assert platform_register({"platform": "TikTok"}) == "tiktok"
    assert platform_register({}) is None
    assert platform_register(None) is None
