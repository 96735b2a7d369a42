"""Two `regionmap dashboard` processes on two ports, one PostGIS store: a layer a person
uploads with "Keep my files" ticked in one shows in the other's open session after a rerun.

Each process has its own local user data folder, so what travels goes through the store.
Skips without Chromium or PostgreSQL (fails under CI's REGIONMAP_REQUIRE_BROWSER and
REGIONMAP_REQUIRE_POSTGIS).
"""

from __future__ import annotations

import pytest

import regionmap

from .browser_support import ROOT, dashboard_server, require_browser
from .pg_support import scratch_database
from .test_browser import Watch, layer_paths, open_map, wait_until

pytestmark = pytest.mark.browser
SHAPE = ROOT / "tests" / "data" / "userfiles" / "country_top_level_id.geojson"


def _session(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.watch = Watch(page)
    return context, page


def test_a_layer_kept_in_one_dashboard_shows_in_the_other(browser, tmp_path):
    require_browser()
    upload = tmp_path / "Карабах.geojson"
    upload.write_bytes(SHAPE.read_bytes())
    with scratch_database() as url:
        store = regionmap.open_postgis(url, check=False)
        store.init()
        env = {"REGIONMAP_STORE": url}
        with (
            dashboard_server({**env, "REGIONMAP_USER_DATA": str(tmp_path / "a")}) as a_url,
            dashboard_server({**env, "REGIONMAP_USER_DATA": str(tmp_path / "b")}) as b_url,
        ):
            assert a_url != b_url
            (a_ctx, a), (b_ctx, b) = _session(browser), _session(browser)
            try:
                open_map(b, b_url)  # B is open before A keeps anything
                assert layer_paths(b, "user-karabakh") == 0
                open_map(a, a_url)
                a.get_by_text("Your data").click()
                a.get_by_text("Keep my files for the next session").click()
                a.get_by_test_id("stSidebarUserContent").get_by_test_id(
                    "stFileUploaderDropzoneInput"
                ).set_input_files(str(upload))
                wait_until(a, lambda: layer_paths(a, "user-karabakh") > 0, 60)
                assert list(regionmap.kept_user_files(store)) == ["Карабах.geojson"]
                assert not (tmp_path / "a").exists()  # in the store, not A's folder

                # B's session reruns (a preset clicked) and draws the layer A kept
                b.get_by_test_id("stSidebarUserContent").get_by_role("button").first.click()
                wait_until(b, lambda: layer_paths(b, "user-karabakh") > 0, 60)
                b.get_by_text("Your data").click()
                b.get_by_text("Карабах.geojson").first.wait_for(timeout=10_000)
                for page in (a, b):
                    assert page.watch.problems == [] and page.watch.dialogs == []
            finally:
                a_ctx.close()
                b_ctx.close()
                store.close()
