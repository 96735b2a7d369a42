"""Load test at the websocket level: many dashboard sessions, no browsers, loopback only.

A 2-core machine cannot run 20 Chromium pages (benchmarks/load.py tops out near 8), so
each session here speaks Streamlit's own protocol like the browser frontend does: it
fetches /_stcore/health for the XSRF cookie, opens /_stcore/stream with the subprotocols
["streamlit", <xsrf token>], sends BackMsg.rerun_script with the full widget state and
reads the ForwardMsgs until script_finished.

Session i toggles its own layer (layer i % 7) and moves its own time window for the
duration. After every rerun it checks that the view it got back is its own: the query
string (page_info_changed) lists exactly its layers and its from/to, and the map
component's script draws its layer's features only when that layer is on. The server's
resident memory is sampled every 5 s.

Run: `.venv/bin/python benchmarks/load_ws.py [SESSIONS=20] [SECONDS=60]`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402

from tests.browser_support import dashboard_server, server_rss_mb  # noqa: E402

LAYERS = [
    "kars-borders",
    "kars-places",
    "lachin-corridor",
    "syria-border",
    "akkuyu-plant",
    "libya-front",
    "libya-places",
]
RESULTS = ROOT / "benchmarks" / "results"
EPOCH = dt.date(1970, 1, 1)
DAY_US = 86_400 * 1_000_000  # date sliders travel as microseconds since the epoch
STAGGER_S = 0.3  # sessions connect one after another, as users would
PAUSE_S = 1.0  # a user's think time between two actions
RUN_TIMEOUT_S = 90.0  # one rerun may not take longer than this, even under full load
CONNECT_TIMEOUT_S = 30.0
GRACE_S = 240.0  # hard cap on top of the duration: the script always stops by itself
RM_ID = re.compile(r'"rm_id": "([^"]+)"')


def layer_features() -> dict[str, set[str]]:
    """Feature ids per tested layer, read from the geodata the server draws."""
    out = {}
    for layer in LAYERS:
        data = json.loads((ROOT / "geodata" / "layers" / f"{layer}.geojson").read_text())
        out[layer] = {f["properties"]["id"] for f in data["features"]}
    return out


def xsrf_cookie(url: str) -> str:
    """The `_streamlit_xsrf` cookie the server sets on /_stcore/health, as a browser gets it."""
    with urllib.request.urlopen(url + "_stcore/health", timeout=10) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == "_streamlit_xsrf":
                return rest.split(";", 1)[0]
    return ""


def day_us(day: dt.date) -> float:
    return float((day - EPOCH).days * DAY_US)


def us_day(micros: float) -> dt.date:
    return EPOCH + dt.timedelta(days=int(micros) // DAY_US)


@dataclass
class Widget:
    """What the frontend remembers of one widget: its kind and its last value."""

    id: str
    kind: str  # the WidgetState oneof it travels in
    value: object


@dataclass
class Run:
    """What one rerun sent back."""

    finished: int | None = None
    query: str | None = None
    script: str | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class Session:
    """One simulated browser tab."""

    index: int
    url: str
    xsrf: str
    features: dict[str, set[str]]
    widgets: dict[str, Widget] = field(default_factory=dict)
    query: str = ""
    page_hash: str = ""
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    reruns: int = 0
    connected: bool = False
    held_to_end: bool = False
    ws: ClientConnection | None = None

    @property
    def layer(self) -> str:
        return LAYERS[self.index % len(LAYERS)]

    def widget(self, suffix: str) -> Widget:
        """The widget whose user key is ``suffix`` (element ids end in ``-<key>``)."""
        for w in self.widgets.values():
            if w.id.endswith("-" + suffix):
                return w
        raise KeyError(suffix)

    # ------------------------------------------------------------- protocol

    def remember(self, msg: ForwardMsg, run: Run) -> None:
        """Keep widget values as the frontend would, and what the view looks like."""
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            run.query = msg.page_info_changed.query_string
        elif kind == "script_finished":
            run.finished = msg.script_finished
        elif kind == "session_event":
            run.errors.append(f"session_event {msg.session_event}".strip())
        elif kind == "ref_hash":  # only sent for hashes we claim to cache; we claim none
            run.errors.append("unexpected ref_hash message")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self.element(msg.delta.new_element, run)

    def element(self, el: object, run: Run) -> None:
        kind = el.WhichOneof("type")
        proto = getattr(el, kind) if kind else None
        if kind == "exception":
            run.errors.append(f"exception: {proto.type}: {proto.message[:200]}")
        elif kind == "alert" and proto.format == proto.ERROR:
            run.errors.append(f"st.error: {proto.body[:200]}")
        elif kind == "component_instance":
            if "folium" in proto.component_name:
                run.script = json.loads(proto.json_args).get("script", "")
        elif kind == "checkbox":
            self.keep(proto.id, "bool_value", proto.set_value, proto.value, proto.default)
        elif kind == "slider":
            self.keep(
                proto.id,
                "double_array_value",
                proto.set_value,
                list(proto.value),
                list(proto.default),
            )
        elif kind in ("radio", "selectbox") and proto.raw_value:
            self.keep(proto.id, "string_value", proto.set_value, proto.raw_value, None)
        elif kind in ("multiselect", "button_group"):
            self.keep(proto.id, "string_array_value", proto.set_value, list(proto.raw_values), None)
        elif kind == "text_input":
            self.keep(proto.id, "string_value", proto.set_value, proto.value, None)
        # buttons send trigger values only when clicked; the map component's value and
        # the file uploaders are not sent: the server keeps their last value.

    def keep(self, wid: str, kind: str, is_set: bool, value: object, default: object) -> None:
        """Like the frontend: a value the server sets wins; else the one we hold stays.

        Widgets are updated in place, so a session holding a Widget sees later values.
        Radio, select box, multiselect and text input are sent only once the server has
        told us their value; before that the server keeps its own.
        """
        known = self.widgets.get(wid)
        if known is None:
            if not is_set and default is None:
                return
            self.widgets[wid] = Widget(wid, kind, value if is_set else default)
        elif is_set:
            known.value = value

    def back_msg(self) -> bytes:
        """A rerun_script BackMsg carrying every widget value we know, like the frontend."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        for w in self.widgets.values():
            ws: WidgetState = state.widget_states.widgets.add()
            ws.id = w.id
            if w.kind == "bool_value":
                ws.bool_value = bool(w.value)
            elif w.kind == "string_value":
                ws.string_value = str(w.value)
            elif w.kind == "double_array_value":
                ws.double_array_value.data[:] = w.value
            elif w.kind == "string_array_value":
                ws.string_array_value.data[:] = w.value
        return msg.SerializeToString()

    async def rerun(self) -> Run:
        """Send one rerun; read until script_finished; record the latency."""
        assert self.ws is not None
        run = Run()
        sent = time.perf_counter()
        await self.ws.send(self.back_msg())
        deadline = sent + RUN_TIMEOUT_S
        while run.finished is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no script_finished within {RUN_TIMEOUT_S} s")
            data = await asyncio.wait_for(self.ws.recv(), timeout=left)
            msg = ForwardMsg()
            msg.ParseFromString(data if isinstance(data, bytes) else data.encode())
            self.remember(msg, run)
        self.latencies_ms.append(1000 * (time.perf_counter() - sent))
        self.reruns += 1
        if run.finished != ForwardMsg.FINISHED_SUCCESSFULLY:
            run.errors.append(f"script_finished status {run.finished}")
        if run.query is not None:
            self.query = run.query
        self.errors.extend(run.errors)
        return run

    # ------------------------------------------------------------- checks

    def check(self, run: Run, default_layers: set[str], window: tuple[dt.date, dt.date]) -> None:
        """Is the view that came back this session's own? Note every difference."""
        on = {lid for lid in LAYERS if self.widget(f"layer:{lid}").value}
        params = {k: v[0] for k, v in parse_qs(self.query, keep_blank_values=True).items()}
        if "layers" not in params:
            shown = set(default_layers)
        elif params["layers"] == "none":
            shown = set()
        else:
            shown = set(params["layers"].split(","))
        problems = []
        if {lid for lid in shown if lid in LAYERS} != on:
            problems.append(f"layers={params.get('layers')} but on={sorted(on)}")
        if self.layer in shown and self.layer not in on:
            problems.append(f"own layer {self.layer} shown while off")
        want = (window[0].isoformat(), window[1].isoformat())
        if (params.get("from"), params.get("to")) != want:
            problems.append(f"from/to {params.get('from')}/{params.get('to')} != {want}")
        if run.script is None:
            problems.append("no map component in the rerun")
        else:
            drawn = set(RM_ID.findall(run.script))
            for lid in LAYERS:
                ids = self.features[lid]
                if lid in on and not ids <= drawn:
                    problems.append(f"{lid} on but not drawn")
                if lid not in on and ids & drawn:
                    problems.append(f"{lid} off but drawn")
        if problems:
            self.leaks.append(f"rerun {self.reruns}: " + "; ".join(problems))


async def session(s: Session, seconds: float, start_at: float, stats: dict) -> None:
    """Connect, first run, then toggle the own layer and move the window until time is up."""
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    host = s.url.split("//", 1)[1].rstrip("/")
    async with connect(
        f"ws://{host}/_stcore/stream",
        subprotocols=["streamlit", s.xsrf] if s.xsrf else ["streamlit"],
        additional_headers={"Cookie": f"_streamlit_xsrf={s.xsrf}", "Origin": f"http://{host}"},
        open_timeout=CONNECT_TIMEOUT_S,
        max_size=64 * 2**20,
        ping_interval=20,
        ping_timeout=60,
    ) as ws:
        s.ws = ws
        s.connected = True
        stats["held_max"] = max(stats["held_max"], sum(x.connected for x in stats["pool"]))
        first = await s.rerun()
        default_layers = {lid for lid in LAYERS if s.widget(f"layer:{lid}").value}
        slider = s.widget("window")
        lo, hi = us_day(slider.value[0]), us_day(slider.value[1])
        if first.script is None:
            s.errors.append("first run drew no map")
        stats["first_run_ms"].append(round(s.latencies_ms[-1], 1))
        deadline = time.monotonic() + seconds
        step = 0
        while time.monotonic() < deadline:
            own, slider = s.widget(f"layer:{s.layer}"), s.widget("window")
            own.value = not own.value
            # a session-specific window: start k years after 1921, end k*11 (+7) days back
            start = lo + dt.timedelta(days=365 * (s.index + 1))
            end = hi - dt.timedelta(days=11 * (s.index + 1) + 7 * (step % 2))
            slider.value = [day_us(start), day_us(end)]
            run = await s.rerun()
            s.check(run, default_layers, (start, end))
            step += 1
            await asyncio.sleep(PAUSE_S)
        s.held_to_end = True
    s.connected = False


async def run(url: str, port: int, sessions: int, seconds: float) -> dict:
    stats: dict = {"rss_mb": [], "first_run_ms": [], "held": [], "held_max": 0}
    features = layer_features()
    pool = [Session(i, url, xsrf_cookie(url), features) for i in range(sessions)]
    stats["pool"] = pool

    async def sample() -> None:
        while True:
            stats["rss_mb"].append(round(server_rss_mb(port), 1))
            stats["held"].append(sum(s.connected for s in pool))
            await asyncio.sleep(5)

    async def guarded(s: Session, start_at: float) -> None:
        try:
            await session(s, seconds, start_at, stats)
        except Exception as exc:  # count it; the other sessions go on
            s.errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")
        finally:
            s.connected = False

    sampler = asyncio.create_task(sample())
    t0 = time.monotonic()
    try:
        await asyncio.wait_for(
            asyncio.gather(*(guarded(s, t0 + i * STAGGER_S) for i, s in enumerate(pool))),
            timeout=seconds + GRACE_S,
        )
    except TimeoutError:
        for s in pool:
            if s.connected:
                s.errors.append("still running at the hard time limit")
    finally:
        sampler.cancel()
        stats["rss_mb"].append(round(server_rss_mb(port), 1))
        del stats["pool"]
    stats["sessions"] = [
        {
            "index": s.index,
            "layer": s.layer,
            "reruns": s.reruns,
            "latency_ms_median": round(statistics.median(s.latencies_ms), 1)
            if s.latencies_ms
            else None,
            "errors": s.errors[:20],
            "error_count": len(s.errors),
            "leaks": s.leaks[:20],
            "leak_count": len(s.leaks),
            "xsrf_cookie": bool(s.xsrf),
            "held_to_end": s.held_to_end,
        }
        for s in pool
    ]
    stats["latencies_ms"] = sorted(
        round(x, 1) for s in pool for x in s.latencies_ms[1:]
    )  # first runs kept apart
    return stats


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> int:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60
    with dashboard_server() as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        t0 = time.monotonic()
        stats = asyncio.run(run(url, port, sessions, seconds))
        elapsed = time.monotonic() - t0
    per = stats["sessions"]
    lat = stats["latencies_ms"]
    reruns = sum(p["reruns"] for p in per)
    errors = sum(p["error_count"] for p in per)
    leaks = sum(p["leak_count"] > 0 for p in per)
    rss = stats["rss_mb"]
    summary = {
        "sessions": sessions,
        "seconds_each": seconds,
        "sessions_held_at_once": stats["held_max"],
        "sessions_held_to_end": sum(p["held_to_end"] for p in per),
        "wall_s": round(elapsed, 1),
        "reruns": reruns,
        "reruns_per_s": round(reruns / elapsed, 2) if elapsed else None,
        "first_run_ms_median": statistics.median(stats["first_run_ms"])
        if stats["first_run_ms"]
        else None,
        "latency_ms_median": statistics.median(lat) if lat else None,
        "latency_ms_p90": pct(lat, 0.9),
        "latency_ms_max": lat[-1] if lat else None,
        "errors": errors,
        "sessions_with_leaked_state": leaks,
        "rss_mb_first": rss[0] if rss else None,
        "rss_mb_max": max(rss) if rss else None,
        "rss_mb_last": rss[-1] if rss else None,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load_ws.json").write_text(json.dumps({"summary": summary, **stats}, indent=2))
    for key, value in summary.items():
        print(f"{key:<28} {value}")
    if errors or leaks:
        shown = [
            {"index": p["index"], "errors": p["errors"][:3], "leaks": p["leaks"][:3]}
            for p in per
            if p["errors"] or p["leaks"]
        ]
        print(json.dumps(shown[:5], indent=1))
    return 0 if errors == 0 and leaks == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
