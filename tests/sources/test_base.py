"""Shared pieces of the source layer: errors, URL redaction, loose value parsing."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.sources import SourceError, redact_url
from monitor.sources.base import parse_count, parse_timestamp, scrub, sha256_id, url_secrets


def test_source_errors_are_transient_unless_marked_permanent() -> None:
    assert SourceError("boom").permanent is False
    assert SourceError("gone", permanent=True).permanent is True
    assert str(SourceError("gone", permanent=True)) == "gone"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://feeds.example.id/rss", "https://feeds.example.id/rss"),
        ("https://u:p4ss@feeds.example.id/rss", "https://***@feeds.example.id/rss"),
        ("https://t0ken@feeds.example.id/rss", "https://***@feeds.example.id/rss"),
        (
            "https://x.id/rss?lang=id&api_key=abc&Access_Token=def&sig=ghi&page=2",
            "https://x.id/rss?lang=id&api_key=***&Access_Token=***&sig=***&page=2",
        ),
        (
            "https://x.id/rss?client_secret=s&password=p",
            "https://x.id/rss?client_secret=***&password=***",
        ),
    ],
)
def test_redact_url_masks_userinfo_and_credential_parameters(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_url_secrets_lists_what_to_scrub_from_messages() -> None:
    url = "https://bob:hunter2@x.id/rss?token=a%2Fb&lang=id"

    message = scrub(f"failed {url} (bob, a/b, a%2Fb)", url_secrets(url))

    for secret in ("hunter2", "bob", "a/b", "a%2Fb"):
        assert secret not in message
    assert "lang=id" in message


def test_sha256_id_is_the_hex_digest_of_the_text() -> None:
    import hashlib

    assert sha256_id("halo") == hashlib.sha256(b"halo").hexdigest()


@pytest.mark.parametrize(
    ("value", "count"),
    [
        (None, 0),
        ("", 0),
        (7, 7),
        (7.0, 7),
        ("42", 42),
        (" 42 ", 42),
        ("1.234", 1234),
        ("1,234,567", 1234567),
        ("12 345", 12345),
        ("3K", 3000),
        ("2,5rb", 2500),
        ("1.5 jt", 1_500_000),
        ("4 ribu", 4000),
    ],
)
def test_parse_count_reads_counts_as_exports_write_them(value: object, count: int) -> None:
    assert parse_count(value) == count


@pytest.mark.parametrize("value", [-1, 2.5, True, "banyak", "1.23", "-5", "٣", [1], "1e3"])
def test_parse_count_refuses_what_is_not_a_count(value: object) -> None:
    with pytest.raises(ValueError):
        parse_count(value)


JAKARTA = ZoneInfo("Asia/Jakarta")
NOON_UTC = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-05T12:00:00Z",
        "2024-03-05T19:00:00+07:00",
        "2024-03-05 19:00",  # naive: read in the given zone (Jakarta)
        "Tue, 05 Mar 2024 12:00:00 GMT",
        1709640000,
        1709640000000,
        "1709640000",
        1709640000.0,
    ],
)
def test_parse_timestamp_gives_aware_utc(value: object) -> None:
    parsed = parse_timestamp(value, JAKARTA)

    assert parsed == NOON_UTC
    assert parsed is not None and parsed.tzinfo is UTC


@pytest.mark.parametrize("value", ["kemarin", "2024-13-45", True, {"t": 1}, 10**20])
def test_parse_timestamp_refuses_what_is_not_a_time(value: object) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(value)


def test_parse_timestamp_of_nothing_is_none() -> None:
    assert parse_timestamp(None) is None
    assert parse_timestamp("") is None


def test_parse_count_refuses_counts_the_store_cannot_hold() -> None:
    with pytest.raises(ValueError):
        parse_count(2**63)
    with pytest.raises(ValueError):
        parse_count("9" * 25)
    assert parse_count(2**63 - 1) == 2**63 - 1


loose_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.from_regex(r"\A[0-9., ]{1,30}(k|rb|jt|K)?\Z"),
    st.from_regex(r"\A[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2})?\Z"),
    st.datetimes().map(lambda moment: moment.isoformat()),
)


@settings(deadline=None, max_examples=300)
@given(loose_values)
def test_loose_value_parsers_raise_nothing_but_value_error(value: object) -> None:
    try:
        count = parse_count(value)
    except ValueError:
        pass
    else:
        assert 0 <= count <= 2**63 - 1
    try:
        moment = parse_timestamp(value, JAKARTA)
    except ValueError:
        pass
    else:
        assert moment is None or moment.tzinfo is UTC
