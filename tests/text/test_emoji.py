"""Emoji to named tokens."""

from __future__ import annotations

import re
import unicodedata

from monitor.text.emoji import EMOJI_PREFIX, emoji_table, emoji_token


def test_the_shipped_table_groups_synonyms() -> None:
    assert emoji_token("😂") == emoji_token("🤣") == "emoji:laugh"


def test_unlisted_emoji_fall_back_to_their_unicode_name() -> None:
    assert emoji_token("🦒") == "emoji:giraffe_face"


def test_a_regional_indicator_pair_is_a_flag() -> None:
    assert emoji_token("🇮🇩") == "emoji:flag_id"


def test_every_table_name_makes_a_single_lowercase_token() -> None:
    table = emoji_table()
    assert len(table) >= 150
    for name in table.values():
        token = EMOJI_PREFIX + name
        assert token.split() == [token]
        assert name == name.lower()
        assert all(c.isalnum() or c == "_" for c in name)


def test_a_character_without_a_name_gives_no_token() -> None:
    assert emoji_token("\U000e0fff") is None


def test_unicode_names_become_tokens_as_the_name_cleaning_pattern_says() -> None:
    # emoji_token cleans a character name with str methods (names hold only A-Z, 0-9, space
    # and "-"); the documented rule is "runs of anything but [a-z0-9] become one '_'".
    rule = re.compile(r"[^a-z0-9]+")
    table = emoji_table()
    for code in range(0x2000, 0x1FBFF + 1):
        char = chr(code)
        name = unicodedata.name(char, "")
        if not name or char in table:
            continue
        expected = rule.sub("_", name.lower()).strip("_")
        assert emoji_token(char) == EMOJI_PREFIX + expected, hex(code)
