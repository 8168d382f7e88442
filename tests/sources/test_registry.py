"""The connector registry: built-ins and outside connectors go through the same door."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Self

import httpx
import pytest

from monitor.sources import (
    FetchedPost,
    FetchResult,
    NotConfigured,
    available_kinds,
    build_source,
    register_source,
    source_class,
)
from monitor.sources.files import FileSource
from monitor.sources.registry import unregister_source
from monitor.sources.rss import RssSource


class EchoSource:
    """An outside connector: returns its configured message once per fetch."""

    kind: ClassVar[str] = "echo-test"

    def __init__(self, message: str, http: httpx.Client | None) -> None:
        self.message = message
        self.http = http

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], *, http: httpx.Client | None = None
    ) -> Self:
        if "message" not in settings:
            raise NotConfigured("setting 'message' is required")
        return cls(settings["message"], http)

    def fetch(self, cursor: str | None) -> FetchResult:
        return FetchResult([FetchedPost(external_id="1", text=self.message)], cursor=None)


@pytest.fixture
def echo_registered() -> Iterator[None]:
    register_source(EchoSource)
    yield
    unregister_source(EchoSource.kind)


def test_the_built_in_connectors_are_registered() -> None:
    assert {"rss", "file"} <= set(available_kinds())
    assert source_class("rss") is RssSource
    assert source_class("file") is FileSource


def test_an_unknown_kind_is_not_configured_and_lists_the_known_ones() -> None:
    with pytest.raises(NotConfigured, match=r"unknown source kind 'telepathy'.*file, rss"):
        source_class("telepathy")
    with pytest.raises(NotConfigured):
        build_source("telepathy", {})


@pytest.mark.usefixtures("echo_registered")
def test_an_outside_connector_is_built_with_its_settings_and_the_shared_client() -> None:
    with httpx.Client() as client:
        source = build_source("echo-test", {"message": "halo"}, http=client)

        assert isinstance(source, EchoSource)
        assert source.http is client
    assert source.fetch(None).posts[0].text == "halo"
    assert "echo-test" in available_kinds()


@pytest.mark.usefixtures("echo_registered")
def test_registering_the_same_class_twice_is_harmless() -> None:
    assert register_source(EchoSource) is EchoSource


@pytest.mark.usefixtures("echo_registered")
def test_a_second_class_cannot_take_a_registered_kind() -> None:
    class Impostor(EchoSource):
        pass

    with pytest.raises(ValueError, match="already registered"):
        register_source(Impostor)
    assert source_class("echo-test") is EchoSource


def test_a_connector_without_a_kind_is_refused() -> None:
    class Nameless(EchoSource):
        kind: ClassVar[str] = " "

    with pytest.raises(ValueError, match="kind"):
        register_source(Nameless)


def test_missing_settings_of_an_outside_connector_surface_as_not_configured(
    echo_registered: None,
) -> None:
    with pytest.raises(NotConfigured, match="message"):
        build_source("echo-test", {})
