"""Start Streamlit on app.py with the first page view's work already under way.

A plain `streamlit run` imports the app's libraries and loads the data only when the first
browser connects, so the first map waits for all of it (about 1.5 s on two cores). Here a
thread does the same calls into the app's own caches while the server starts and the
browser loads Streamlit's page; the first script run then finds them done.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent


class _NoContextWarning(logging.Filter):
    """Streamlit warns that this thread has no script context, on every start: expected
    here (no page asked for this run), and it read like a fault in a user's terminal."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


def warm() -> None:
    """What app.py does before it draws, through the same cached functions."""
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        _NoContextWarning()
    )
    try:
        sys.path.insert(0, str(HERE))
        # Not streamlit_folium: a component imported before the server runs is never
        # registered with it, and its frame then fails to load (404).
        import altair  # noqa: F401  (imported by app.py; slow the first time)
        import cache

        import regionmap

        files = {p.name: p.read_bytes() for p in regionmap.saved_user_files()}
        data, _ = cache.dataset_with_user_files(files)
        assets = cache.assets(data)
        cache.event_options(data)
        spec = regionmap.ViewSpec.default(data.catalog)
        if data.store is not None:
            # the map alone compiles the templates; with a store the events come from SQL
            # in the app (counts, cells, a page of rows), and asking the plan for them here
            # held the whole selection: 1M light rows, a 1.1 GB peak that never came back
            spec = spec.replace(show_events=False)
        regionmap.render_map(spec, data, assets).get_root().render()  # compiles the templates
    except Exception as exc:  # noqa: BLE001  the first script run meets it too, and shows it
        print(f"regionmap: warm start skipped: {exc!r}", file=sys.stderr)


def main() -> int:
    threading.Thread(target=warm, name="regionmap-warm", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(HERE / "app.py"), *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
