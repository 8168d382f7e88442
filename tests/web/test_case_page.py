"""The case page shows posts, scores and explanations, history, and works through its forms."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.web.client import TestClient, csrf_of
from tests.web.world import World

Clients = Callable[[str], TestClient]


def test_the_case_page_shows_posts_score_explanation_and_history(
    client_for: Clients, world: World
) -> None:
    html = client_for("reviewer").get(f"/cases/{world.cases['jabar']}").text
    assert "@warga_jabar_0" in html and "@warga_jabar_1" in html
    assert 'href="https://example.org/jabar/0"' in html
    assert "2026.11-test" in html and "93%" in html
    assert '<mark class="up">vaksin palsu</mark>' in html
    assert '<mark class="up">sebarkan</mark>' in html
    assert "dinkes" in html
    assert "Teks ternormalisasi" in html
    assert "membuka kasus" in html
    assert "10 suka" in html or "20 suka" in html


def test_a_reviewer_works_a_case_to_publication_with_a_second_approver(
    client_for: Clients, world: World
) -> None:
    case_id = world.cases["jabar"]
    reviewer, approver = client_for("reviewer"), client_for("approver")

    def post(client: TestClient, action: str, **data: str) -> str:
        token = csrf_of(client.get(f"/cases/{case_id}").text)
        response = client.post(f"/cases/{case_id}/{action}", data={**data, "csrf_token": token})
        assert response.status_code == 200
        return response.text

    assert "Kasus #" in post(reviewer, "assign", assignee="me")
    post(reviewer, "label", verdict="hoax", category="fabricated", note="klaim lama")
    post(reviewer, "draft", claim="Vaksin palsu di Bandung", facts="Tidak ada vaksin palsu.")
    refused = post(reviewer, "approve")
    assert "disetujui orang lain" in refused
    assert f'action="/cases/{case_id}/approve"' not in refused
    approved = post(approver, "approve")
    assert "Draf disetujui." in approved
    published = post(
        reviewer,
        "publish",
        channel="website",
        url="https://ppid.jabarprov.test/k/1",
        published_at="2026-11-26T10:15",
    )
    assert "Publikasi tercatat." in published
    assert "2026-11-26 10:15 WIB" in published
    assert re.search(r'class="status s-published">Terbit<', published)
    assert "Disetujui oleh Citra Penyetuju" in published


def test_a_refused_action_comes_back_as_a_message_on_the_case(
    client_for: Clients, world: World
) -> None:
    client = client_for("reviewer")
    case_id = world.cases["jabar"]
    token = csrf_of(client.get(f"/cases/{case_id}").text)
    response = client.post(f"/cases/{case_id}/label", data={"csrf_token": token, "verdict": "hoax"})
    assert response.status_code == 200
    assert response.url.path == f"/cases/{case_id}"
    assert "Isian tidak lengkap" in response.text


def test_posts_page_through_a_large_case(client_for: Clients, world: World) -> None:
    html = client_for("reviewer").get(f"/cases/{world.cases['central']}?posts_page=9").text
    assert "Halaman" not in html or "1 dari 1" in html
    assert "@warga_central_2" in html
