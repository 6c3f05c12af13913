"""`wzt-bot demo` clicked through in a real browser (Debian's chromium via Playwright)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, async_playwright, expect

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium
from wzt_bot.demo import run_demo

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


async def _tap(page: Page, name: str) -> None:
    await page.get_by_role("button", name=name, exact=True).last.click()


async def test_demo_onboarding_in_the_browser(tmp_path: Path) -> None:
    require_chromium()
    stop, ready, info = asyncio.Event(), asyncio.Event(), dict[str, str]()
    demo = asyncio.create_task(
        run_demo(
            stop,
            free_port(),
            free_port(),
            ready=ready,
            info=info,
            db_path=tmp_path / "demo.sqlite3",
        )
    )
    try:
        await asyncio.wait_for(ready.wait(), timeout=20)
        ARTIFACTS.mkdir(exist_ok=True)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            page = await browser.new_page(viewport={"width": 390, "height": 844})
            await page.goto(info["phone_url"])
            await page.get_by_test_id("deep-link-start").click()
            await expect(page.get_by_text("Kies je taal.")).to_be_visible(timeout=10_000)
            await _tap(page, "Nederlands")
            await expect(page.get_by_text("Welkom, Sam!")).to_be_visible(timeout=10_000)
            await _tap(page, "Verder ▶️")
            await expect(page.get_by_text("Wie ziet wat?")).to_be_visible(timeout=10_000)
            await _tap(page, "Verder ▶️")
            await _tap(page, "Ja, dat mag")
            menu = page.get_by_test_id("reply-button")
            await expect(menu.first).to_have_text("📋 Mijn plan", timeout=10_000)
            await page.screenshot(path=str(ARTIFACTS / "demo-phone-nl.png"))

            # A question for the team, with a preview before anything is sent.
            await page.get_by_test_id("reply-button").filter(has_text="vragen of zeggen").click()
            await _tap(page, "Geld")
            await expect(page.get_by_text("Schrijf je bericht hieronder.")).to_be_visible(
                timeout=10_000
            )
            await page.get_by_test_id("input").fill("Wanneer krijg ik mijn vergoeding?")
            await page.get_by_test_id("send").click()
            await expect(page.get_by_text("Dit stuur ik naar An (demo)")).to_be_visible(
                timeout=10_000
            )
            await _tap(page, "✅ Versturen")
            await expect(page.get_by_text("✅ Verstuurd naar An (demo)")).to_be_visible(
                timeout=10_000
            )
            await page.screenshot(path=str(ARTIFACTS / "demo-phone-concern.png"))

            # Mijn plan: the seeded plan, where Sam stands, and the next step.
            await page.get_by_test_id("reply-button").filter(has_text="Mijn plan").click()
            await expect(page.get_by_text("Ik wil in een keuken werken").last).to_be_visible(
                timeout=10_000
            )
            await _tap(page, "📍 Waar sta ik?")
            await expect(
                page.get_by_text("Een stageplaats zoeken in een grootkeuken").last
            ).to_be_visible(timeout=10_000)
            await page.screenshot(path=str(ARTIFACTS / "demo-phone-plan.png"))

            # Arabic reads right to left in the same chat.
            await page.get_by_test_id("reply-button").filter(has_text="Taal").click()
            await _tap(page, "العربية")
            await expect(page.get_by_text("أتكلم الآن")).to_be_visible(timeout=10_000)
            await page.screenshot(path=str(ARTIFACTS / "demo-phone-ar.png"))
            await browser.close()

        async with httpx.AsyncClient(base_url=info["api_url"]) as api:
            listed = await api.get(
                "/api/v1/participants", headers={"Authorization": f"Bearer {info['token']}"}
            )
            assert listed.status_code == 200
            (sam,) = listed.json()["items"]
            detail = await api.get(
                f"/api/v1/participants/{sam['id']}",
                headers={"Authorization": f"Bearer {info['token']}"},
            )
            assert detail.json()["telegram"]["linked"] is True
            assert detail.json()["locale"] == "ar"
            flags = await api.get(
                "/api/v1/flags", headers={"Authorization": f"Bearer {info['token']}"}
            )
            assert [f["kind"] for f in flags.json()["items"]] == ["concern"]
            assert (await api.get("/docs")).status_code == 200
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(demo, timeout=20)
