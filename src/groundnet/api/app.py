"""The application factory: settings → store, clock, fleet, planner → live service → FastAPI app.

``create_app(settings)`` builds everything in the app's lifespan: the store (migrations applied),
the live service (plan restored or built), the board runner (one board a second, the simulator
when asked), and the partner feed import. Routers hold no SQL and no business logic.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse

from .. import __version__
from ..errors import GroundnetError, NotFoundError, PayloadTooLargeError, StoreError
from ..live.clock import Clock
from ..live.hub import Hub
from ..live.relay import open_relay
from ..live.service import LiveService
from ..live.simulator import StationSimulator
from ..timebase import format_utc
from .schemas import ERROR_RESPONSES
from .settings import Settings

log = logging.getLogger("groundnet.api")
API_PREFIX = "/api/v1"
# What the live clients receive besides the board ("clock" goes only between servers: the next board shows it).
PUSHED = ("event", "plan", "partner")


class BoardRunner:
    """Once a tick: the simulator's events, then the board, published to the hub."""

    def __init__(self, service: LiveService, hub: Hub, tick_s: float, simulator: StationSimulator | None):
        self.service = service
        self.hub = hub
        self.tick_s = tick_s
        self.simulator = simulator
        self.wake = asyncio.Event()
        self._board: dict | None = None
        self._last_t: float | None = None
        self.errors = 0

    def latest_board(self) -> dict | None:
        return self._board

    def _step(self) -> dict:
        state = self.service.clock.state()
        t = state.time_unix
        if self.simulator is not None:
            # Simulate what happened since the last board; after a jump of the clock (or at start), only the last tick.
            expected = max(600.0, 10.0 * state.speed * self.tick_s)
            continuous = self._last_t is not None and 0.0 <= t - self._last_t <= expected
            t0 = self._last_t if continuous else t - state.speed * self.tick_s
            for ev in self.simulator.events_between(self.service.current_plan(), t0, t):
                self.service.ingest(ev, "simulator")
        self._last_t = t
        board = self.service.tick()
        # Stamped when the board is complete: what the page shows as its freshness, and where delivery latency starts.
        board["generated_at"] = format_utc(time.time())
        return board

    async def run(self) -> None:
        while True:
            started = time.monotonic()
            try:
                self._board = await asyncio.to_thread(self._step)
                self.hub.publish("board", self._board)
            except Exception:  # noqa: BLE001 - the board must keep going; the error is logged
                self.errors += 1
                log.exception("board tick failed")
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), max(0.0, self.tick_s - (time.monotonic() - started)))
            except asyncio.TimeoutError:
                pass


class Push:
    """The live push of this process: its hub (numbered messages to clients) and its board runner."""

    def __init__(self, hub: Hub, runner: BoardRunner, backend: str = "memory"):
        self.hub = hub
        self.runner = runner
        self.backend = backend

    def latest_board(self) -> dict | None:
        return self.runner.latest_board()

    def status(self) -> dict:
        return {"subscribers": self.hub.subscriber_count, "seq": self.hub.seq, "board_fanout": self.hub.fanout_ms(),
                "tick_errors": self.runner.errors, "hub": self.backend}


class BodyLimit:
    """Refuse request bodies larger than ``limit`` bytes with 413, declared (Content-Length) or streamed (chunked).

    The body is read here, at most ``limit`` bytes of it, before the application sees the request: a
    route never starts on a body that will turn out too large (a parser would call that a 400).
    """

    def __init__(self, app, limit: int, larger: dict[str, int] | None = None):
        self.app = app
        self.default_limit = limit
        self.larger = larger or {}  # path prefix -> its own limit (uploads of observation data)

    def _limit_for(self, path: str) -> int:
        return next((n for prefix, n in self.larger.items() if path.startswith(prefix)), self.default_limit)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self._limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await self._refuse(send, limit)
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left before sending its body
                return
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > limit:
                return await self._refuse(send, limit)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()  # after the body: the disconnect a streaming response waits for

        await self.app(scope, replay, send)

    async def _refuse(self, send, limit: int):
        body = f'{{"detail":"request body larger than {limit} bytes"}}'.encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def default_planner(antennas, fleet, settings: Settings):
    from ..live.planning import PassPlanner

    return PassPlanner(antennas, fleet, replan_time_limit_s=settings.replan_time_limit_s)


def default_fleet(settings: Settings):
    """The bundled spacecraft whose elements the settings' catalog holds (``missions.load_fleet``)."""
    from dataclasses import replace

    from ..missions import load_fleet
    from ..sources.resolve import resolve_catalog

    fleet = load_fleet(catalog=resolve_catalog(settings.catalog, note=log.info))
    if settings.catalog == "demo":
        return fleet
    # The Earth orbiters' trajectory source names the catalog their elements came from.
    return [replace(sc, trajectory_source=f"elements from {settings.catalog}") if sc.kind == "tle" else sc
            for sc in fleet]


def build_service(settings: Settings, *, fleet=None, planner=None, wall=time.time) -> LiveService:
    from ..stations import load_network
    from ..store import open_store

    store = open_store(settings.database_url)
    try:
        store.claim_for_serving()
    except StoreError:
        store.close()
        raise
    antennas = list(load_network(settings.station_file))
    if fleet is None:
        fleet = default_fleet(settings)
    clock = Clock(settings.clock_start_unix, settings.speed, wall=wall)
    return LiveService(store, clock, antennas, fleet, planner or default_planner(antennas, fleet, settings),
                       plan_ahead_s=settings.plan_ahead_h * 3600.0, plan_behind_s=settings.plan_behind_h * 3600.0)


def _web_dist(settings: Settings) -> Path | None:
    dist = settings.web_dist or Path(str(resources.files("groundnet") / "web" / "dist"))
    return dist if (dist / "index.html").is_file() else None


def service_config(config=None):
    """``config``, else groundnet.toml; its defaults when the file cannot be used (the service still runs)."""
    from ..config import load_config

    if config is None:
        try:
            config = load_config()
        except GroundnetError as exc:  # the status says why there are no sources
            log.error("configuration not used: %s", exc)
            from ..config import Config, KEYS

            config = Config(None, {k.name: k.default for k in KEYS})
    return config


def build_refresher(config=None, check_every_s: float = 60.0):
    """The sources of groundnet.toml's ``catalog.sources``, refreshed in the background when ``live.refresh_sources``,
    looked at every ``check_every_s``."""
    from ..sources.refresher import SourceRefresher

    config = service_config(config)
    return SourceRefresher(config.get("catalog.sources"), config, enabled=bool(config.get("live.refresh_sources")),
                           check_every_s=check_every_s)


def watch_catalog(refresher, settings: Settings, service: LiveService) -> None:
    """Follow ``--catalog SOURCE`` (``celestrak:active``...) on the sources' rounds: it is refreshed with
    ``catalog.sources`` and reported in the status, and when its cached copy changes (a refresh here, or
    ``groundnet catalog fetch`` beside the server) the Earth orbiters take its newer element sets
    (``LiveService.update_elements``). A file or ``demo`` is read once, at start."""
    from ..orbits.catalog import load_catalog
    from ..sources.fetch import cached_outcome
    from ..sources.registry import is_source_spec, parse_spec

    if not settings.catalog or not is_source_spec(settings.catalog):
        return
    query = parse_spec(settings.catalog, "--catalog")

    def path() -> Path:
        return cached_outcome(query, refresher.config).entry.data_path

    def load(where: Path) -> None:
        changed = service.update_elements(load_catalog(where), source=f"elements from {query.name}")
        log.info("%s read again: new element sets for %s", query.name, ", ".join(changed) or "none")

    refresher.watch(query.name, path, load, spec=query.name)


def create_app(settings: Settings | None = None, *, service: LiveService | None = None, fleet=None,
               planner=None, config=None, freeze_startup: bool = False) -> FastAPI:
    """The app; ``config`` (a :class:`groundnet.config.Config`, default: groundnet.toml) names the sources to refresh.

    ``freeze_startup`` (for a process that serves this one app): once started, what exists is moved out of
    the garbage collector's view (``gc.freeze``)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from .routers import satnogs as satnogs_api

        fleet_used = fleet
        with_satnogs = service is None and (settings.satnogs_jobs is not None or bool(settings.satnogs_transmitters))
        if with_satnogs:
            # SatNOGS transmitters give the fleet its links; the jobs' satellites join it
            base_fleet = fleet if fleet is not None else await asyncio.to_thread(default_fleet, settings)
            start_jobs = app.state.satnogs_jobs.current()
            fleet_used, app.state.satnogs_links = await asyncio.to_thread(
                satnogs_api.satnogs_fleet, settings, base_fleet, start_jobs)
        svc = service or await asyncio.to_thread(build_service, settings, fleet=fleet_used, planner=planner)
        # Sequence numbers start from the wall clock in milliseconds, so they keep growing across restarts
        # and a client reconnecting to a restarted server gets everything the new process has sent.
        hub = Hub(start_seq=int(time.time() * 1000))
        loop = asyncio.get_running_loop()
        runner = BoardRunner(svc, hub, settings.tick_s,
                             StationSimulator(settings.trouble, settings.seed) if settings.simulate else None)

        relay = open_relay(settings.hub)

        def publish(type_: str, data: dict) -> None:
            loop.call_soon_threadsafe(hub.publish, type_, data)
            loop.call_soon_threadsafe(runner.wake.set)

        def on_event(type_: str, data: dict) -> None:  # learnt here: to this process's clients and the others
            if type_ in PUSHED:
                publish(type_, data)
            relay.send(type_, data)

        def relayed(type_: str, data: dict) -> None:  # learnt by another process (the relay's thread)
            try:
                svc.apply_relayed(type_, data)
            except Exception:  # noqa: BLE001 - the next reload of the window catches up
                log.exception("applying a relayed %s failed", type_)
            if type_ in PUSHED:
                publish(type_, data)

        svc.on_event = on_event
        if settings.partner_ssf:  # before the first plan, so that it keeps the partner's antenna time free
            await _import_once(svc.import_partner_ssf, settings.partner_ssf)
        jobs_file = app.state.satnogs_jobs
        if jobs_file.path is not None:  # SatNOGS jobs become contacts with records; the planner plans around them
            await asyncio.to_thread(jobs_file.watch_with,
                                    lambda jobs: satnogs_api.store_job_contacts(svc, jobs, jobs_file.path))
        await asyncio.to_thread(svc.start)
        await asyncio.to_thread(relay.start, relayed)
        app.state.service, app.state.hub, app.state.push = svc, hub, Push(hub, runner, relay.name)
        app.state.config = service_config(config)  # [display] for the board (GET /api/v1/display)
        app.state.sources = build_refresher(app.state.config, check_every_s=settings.sources_check_s)
        watch_catalog(app.state.sources, settings, svc)  # the served catalog follows its refreshed copy
        if with_satnogs and settings.satnogs_transmitters:  # read again when it changes, on the sources' rounds
            satnogs_api.watch_transmitters(app.state.sources, settings, svc, base_fleet, start_jobs,
                                           lambda links: setattr(app.state, "satnogs_links", links))
        app.state.sources.start()  # its own thread: a slow source never delays a board
        from ..operations.alerts import Dispatcher

        dispatcher = Dispatcher(svc.store)
        if freeze_startup:
            # What startup built (fleet, ephemerides, plan: some 200,000 objects) lives as long as the process. Out
            # of the cyclic collector's sight, its full passes no longer pause the event loop (100-600 ms: boards late).
            gc.collect()
            gc.freeze()
        tasks = [asyncio.create_task(runner.run()), asyncio.create_task(_alert_loop(dispatcher))]
        if jobs_file.path is not None:
            tasks.append(asyncio.create_task(satnogs_api.watch_jobs(jobs_file)))
        if settings.partner_dsn:
            tasks.append(asyncio.create_task(_partner_loop(svc.import_partner, settings.partner_dsn, settings)))
        if settings.partner_ssf and settings.partner_ssf.startswith(("http://", "https://")):
            tasks.append(asyncio.create_task(_partner_loop(svc.import_partner_ssf, settings.partner_ssf, settings,
                                                           first_after_s=settings.partner_refresh_s)))
        try:
            yield
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.to_thread(app.state.sources.stop)
            hub.close()
            await asyncio.to_thread(relay.close)
            dispatcher.close()
            if service is None:
                await asyncio.to_thread(svc.close)

    app = FastAPI(
        title="groundnet",
        version=__version__,
        description="The live state of a ground-station network: board, plan, passes, station events, feeds. "
                    "Reads are public unless configured otherwise; every write needs an API token "
                    "(`Authorization: Bearer <token>`, from `groundnet token create NAME`).",
        lifespan=lifespan,
    )
    app.state.settings = settings
    _install_error_handlers(app)
    from .routers import (
        alerts, board, calendars, events, feeds, history, leop, live, passes, plan, reports, residuals, spacecraft,
        stations,
    )

    for r in (board.router, stations.router, spacecraft.router, passes.router, plan.router, events.router,
              history.router, feeds.partners, live.router, leop.router, residuals.router, reports.router,
              alerts.router, calendars.router):
        app.include_router(r, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(feeds.router, responses=ERROR_RESPONSES)
    from .routers import satnogs

    app.include_router(satnogs.router, responses=ERROR_RESPONSES)  # at /api/..., where SatNOGS clients look
    app.include_router(satnogs.links_router, responses=ERROR_RESPONSES)
    app.state.satnogs_jobs = satnogs.load_jobs(settings.satnogs_jobs)
    app.state.satnogs_links = {}
    dist = _web_dist(settings)
    if dist is not None:
        from fastapi.staticfiles import StaticFiles

        app.mount("/", StaticFiles(directory=dist, html=True), name="web")
    else:
        @app.get("/", include_in_schema=False)
        def index() -> HTMLResponse:
            return HTMLResponse("<!doctype html><title>groundnet</title><h1>groundnet</h1><p>The browser board is "
                                "not built (run <code>./scripts/setup.sh</code>). The API: <a href='/docs'>/docs</a>, "
                                "<a href='/api/v1/board'>/api/v1/board</a>, <a href='/dsn.xml'>/dsn.xml</a>.</p>")
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes,
                       larger={satnogs.UPLOAD_PREFIX: settings.max_upload_bytes})
    return app


async def _alert_loop(dispatcher, every_s: float = 0.5) -> None:
    """Deliver the outbox's due alerts, for as long as the service runs (what a crash left is sent after it)."""
    while True:
        try:
            sent = await asyncio.to_thread(dispatcher.run_once)
        except Exception:  # noqa: BLE001 - the store may be busy or gone for a moment; alerts wait in the outbox
            log.exception("alert delivery failed")
            sent = 0
        if not sent:
            await asyncio.sleep(every_s)


async def _import_once(importer, source: str) -> None:
    try:
        await asyncio.to_thread(importer, source)
    except GroundnetError as exc:
        log.warning("partner feed: %s", exc)


async def _partner_loop(importer, source: str, settings: Settings, first_after_s: float = 0.0) -> None:
    """Import a partner feed or schedule now, and again every few seconds when it is a URL."""
    await asyncio.sleep(first_after_s)
    while True:
        await _import_once(importer, source)
        if not source.startswith(("http://", "https://")):
            return
        await asyncio.sleep(settings.partner_refresh_s)


# Each error class the service raises on purpose, and the HTTP status it means (first match wins).
ERROR_STATUS: tuple[tuple[type[GroundnetError], int], ...] = (
    (NotFoundError, 404),
    (PayloadTooLargeError, 413),
    (StoreError, 503),  # full or unavailable: the request was not applied and may succeed later
    (GroundnetError, 422),  # bad input: a time, a window, an event, a scenario
)


def status_of(exc: GroundnetError) -> int:
    return next(code for cls, code in ERROR_STATUS if isinstance(exc, cls))


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GroundnetError)
    async def domain_error(_: Request, exc: GroundnetError):
        code = status_of(exc)
        if code == 503:
            log.warning("store: %s", exc)
        headers = {"Retry-After": "5"} if code == 503 else None
        return JSONResponse({"detail": str(exc)}, status_code=code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError):
        problems = []
        for e in exc.errors():
            if e.get("type") == "json_invalid":
                at = e.get("loc", ("body", "?"))[-1]
                problems.append(f"the body is not valid JSON (character {at}: {e.get('ctx', {}).get('error', '')})")
                continue
            where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {e.get('msg')}")
        # The offending input is not echoed back: it may be huge, binary, or not even representable in JSON (inf).
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg")), "type": str(e.get("type"))}
                  for e in exc.errors()]
        return JSONResponse({"detail": "; ".join(problems) or "invalid request", "errors": errors}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception):
        log.exception("unexpected error")
        return JSONResponse({"detail": f"internal error ({type(exc).__name__}); the server keeps running"},
                            status_code=500)

