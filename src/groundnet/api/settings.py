"""Service settings: command-line options, else environment variables ``GROUNDNET_*``, else defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..store.db import sqlite_url
from ..timebase import parse_utc, parse_utc_in_span


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GROUNDNET_", extra="ignore")

    host: str = Field("127.0.0.1", description="Address to listen on.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port (0 picks a free one).")
    database: str | None = Field(None, description="Database URL; default: SQLite in the data directory.")
    data_dir: Path = Field(Path("var"), description="Where the default SQLite database lives.")
    clock: str = Field("now", description="'now' for real time, or an ISO 8601 UTC moment to replay from.")
    speed: float = Field(1.0, gt=0, le=100000, description="Clock speed (1 = real time).")
    simulate: bool = Field(False, description="Run the built-in station simulator.")
    trouble: float = Field(0.15, ge=0, le=1, description="Share of simulated contacts that go wrong.")
    seed: int = Field(1, description="Seed of the simulator's trouble.")
    public_read: bool = Field(True, description="Read endpoints without a token.")
    max_body_bytes: int = Field(65536, ge=1024, description="Largest request body accepted.")
    max_upload_bytes: int = Field(64 * 1024 * 1024, ge=1024, le=2**31,
                                  description="Largest observation upload (SatNOGS client audio, waterfall or data).")
    satnogs_jobs: Path | None = Field(None, description="SatNOGS jobs (JSON, `groundnet schedule observations --jobs`) "
                                                        "served to SatNOGS clients at /api/jobs/.")
    satnogs_transmitters: str | None = Field(None, max_length=1000,
                                             description="SatNOGS DB transmitters (a JSON export, or "
                                                         "satnogs:transmitters through the cache): the spacecraft's "
                                                         "links take their published, drift-corrected frequencies.")
    sources_check_s: float = Field(60.0, gt=0, le=86400,
                                   description="How often the service looks at its sources: the cached copies due "
                                               "for a refresh, and the transmitters file, read again when it changes.")
    plan_ahead_h: float = Field(24.0, gt=0, le=24 * 14, description="Hours planned ahead of the clock.")
    plan_behind_h: float = Field(6.0, ge=0, le=24 * 14, description="Hours planned behind the clock.")
    partner_dsn: str | None = Field(None, description="A DSN Now feed (file or URL) to show as a partner network.")
    partner_ssf: str | None = Field(None, description="A partner network's CCSDS Simple Schedule (file or URL) shown "
                                                      "on the board and kept free by the planner.")
    partner_refresh_s: float = Field(5.0, gt=0, description="How often a partner URL is fetched again.")
    station_file: Path | None = Field(None, description="TOML file adding or overriding antennas.")
    catalog: str = Field("demo", description="Elements of the Earth orbiters: 'demo' (bundled), a TLE/OMM file, or a "
                                             "source read through the cache such as celestrak:active.")
    web_dist: Path | None = Field(None, description="The browser board's built files (default: the package's web/dist).")
    replan_time_limit_s: float = Field(5.0, gt=0, le=600, description="Time limit of a re-plan after an outage.")
    ws_protocol: str = Field("framed", pattern="^(framed|auto|websockets|websockets-sansio|wsproto)$",
                             description="The WebSocket implementation: 'framed' (uvicorn's websockets-sansio, each "
                                         "board framed once for all clients) or one of uvicorn's own.")
    hub: str = Field("memory", max_length=500,
                     description="Where live messages travel between serve processes: 'memory' (one process) or a "
                                 "PostgreSQL URL (LISTEN/NOTIFY: several processes on one PostgreSQL database).")
    tick_s: float = Field(1.0, gt=0.05, le=60, description="Seconds between boards.")

    @field_validator("clock")
    @classmethod
    def _clock(cls, v: str) -> str:
        if v.strip().lower() != "now":
            parse_utc_in_span(v, "--clock")
        return v.strip()

    @property
    def database_url(self) -> str:
        return self.database or sqlite_url(self.data_dir)

    @property
    def clock_start_unix(self) -> float | None:
        return None if self.clock.lower() == "now" else parse_utc(self.clock).timestamp()
