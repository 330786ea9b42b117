"""``groundnet schedule``: plan tracking requests (SatNet weeks or our own files), re-plan after an outage."""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..errors import InvalidPlanError, ScheduleInputError, SelectionError
from ..output import OutputFormat, emit
from ..schedule.satnet import PUBLISHED, load_satnet

COLUMNS = ["planner", "scheduled_hours", "satisfied_requests", "u_rms", "u_max", "time_s"]


class Solver(str, Enum):
    cpsat = "cp-sat"
    greedy = "greedy"


class ObservationPlanner(str, Enum):
    network = "network"
    greedy = "satnogs-greedy"
    compare = "compare"


class Format(str, Enum):
    table = "table"
    json = "json"


def _time_arg(text: str, what: str) -> float:
    from ..timebase import parse_utc, to_unix
    try:
        return float(text)
    except ValueError:
        return to_unix(parse_utc(text, what))


def parse_outage(text: str):
    """``ANTENNA,START,END`` (ISO 8601 UTC or Unix seconds) -> an outage block."""
    from ..schedule.model import Block
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 3 or not parts[0]:
        raise ScheduleInputError(f"--outage '{text}': write ANTENNA,START,END, e.g. "
                                 "DSS-43,2018-03-07T00:00:00Z,2018-03-07T12:00:00Z")
    start, end = _time_arg(parts[1], "outage start"), _time_arg(parts[2], "outage end")
    if end <= start:
        raise ScheduleInputError(f"--outage '{text}': the end must come after the start")
    return Block(parts[0], start, end, "outage", "--outage")


def _warn(messages: list[str], quiet: bool) -> None:
    if quiet:
        return
    for msg in messages[:20]:
        print(f"warning: {msg}", file=sys.stderr)
    if len(messages) > 20:
        print(f"warning: ... and {len(messages) - 20} more", file=sys.stderr)


def _load_satnet(path: Path, week: Optional[str], maintenance: Optional[Path], quiet: bool):
    if maintenance is None:
        beside = path.parent / f"maintenance_{week or path.stem}.csv"
        maintenance = beside if beside.is_file() else None
    if maintenance is not None and not quiet:
        print(f"maintenance: {maintenance}", file=sys.stderr)
    problem, issues = load_satnet(path, week, maintenance)
    _warn(issues, quiet)
    return problem


def _with_partner(problem, partner_ssf: Optional[Path], quiet: bool):
    """The problem with a partner network's committed activities (a CCSDS Simple Schedule) as blocked antenna time."""
    if partner_ssf is None:
        return problem
    from ..ccsds.ssf import network_sites, read_ssf, ssf_blocks
    from ..stations import load_network

    ssf = read_ssf(partner_ssf, sites=network_sites(load_network()))
    _warn([str(p) for p in ssf.problems], quiet)
    return problem.with_blocks(ssf_blocks(ssf))


def _plan(problem, solver: Solver, time_limit: float, seed: int, deterministic: bool, quiet: bool):
    from ..schedule.cpsat import SolverOptions, solve
    from ..schedule.greedy import greedy_plan
    if solver is Solver.greedy:
        return greedy_plan(problem)
    options = SolverOptions(time_limit_s=time_limit, seed=seed, deterministic=deterministic)
    if quiet or not sys.stderr.isatty():
        return solve(problem, options)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    with Progress(TextColumn("planning"), BarColumn(), TextColumn("score {task.fields[score]}"),
                  TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("plan", total=1.0, score="-")
        return solve(problem, options, progress=lambda done, s: bar.update(task, completed=done, score=f"{s:.4f}"))


def _validated(problem, plan):
    from ..schedule.validate import validate
    violations = validate(problem, plan)
    if violations:
        raise InvalidPlanError(violations)
    return plan


def _write_plan(plan, output: Optional[Path]) -> None:
    if output is not None:
        output.write_text(json.dumps(plan.as_dict(), indent=1) + "\n", encoding="utf-8")


def _report(problem, plan, elapsed_s: float, fmt: Format, published: list[dict], output: Optional[Path]) -> None:
    from ..schedule.metrics import compute_metrics
    m = compute_metrics(problem, plan)
    ours = {"planner": f"groundnet {plan.detail.get('solver', '')}".strip(), **m.summary(),
            "time_s": round(elapsed_s, 1)}
    if fmt is Format.json:
        doc = {"week": problem.name, "metrics": m.summary(), "time_s": round(elapsed_s, 3),
               "tracks": len(plan.tracks), "plan_file": str(output) if output else None,
               "solver": dict(plan.detail),
               "missions": m.missions, "antennas": m.antennas, "published": published}
        sys.stdout.write(json.dumps(doc, indent=2, default=str) + "\n")
        return
    ours.pop("requests", None)
    emit([ours] + published, "table", columns=COLUMNS,
         title=f"{problem.name}: {len(problem.requests)} requests, {len(problem.missions)} missions, "
               f"{len(problem.antennas)} antennas, {len(plan.tracks)} tracks")
    emit([{"mission": k, "requested_h": round(v["requested_hours"], 1), "scheduled_h": round(v["scheduled_hours"], 1),
           "U_m": round(v["u"], 3), "satisfied": f"{v['satisfied']}/{v['requests']}"}
          for k, v in sorted(m.missions.items(), key=lambda kv: -kv[1]["u"])][:10], "table",
         title="worst-served missions")
    emit([{"antenna": a, "tracks": v["tracks"], "occupied_h": round(v["occupied_hours"], 1),
           "tracking_h": round(v["tracking_hours"], 1), "load": f"{100 * v['load']:.0f} %"}
          for a, v in sorted(m.antennas.items())], "table", title="antenna load (setup + tracking + teardown)")
    if output is not None:
        print(f"plan written to {output}")


def register(app: typer.Typer) -> None:
    sched = typer.Typer(help="Turn tracking requests into a conflict-free antenna plan, and re-plan after outages.",
                        no_args_is_help=True)
    app.add_typer(sched, name="schedule")

    time_limit_opt = typer.Option(30.0, "--time-limit", help="Seconds the optimiser may use (with --deterministic: "
                                  "sets the amount of search instead, about as long on an idle 2-core machine).")
    seed_opt = typer.Option(0, "--seed", help="Seed of the optimiser's random choices.")
    det_opt = typer.Option(False, "--deterministic", help="One solver worker and work-based limits: the same inputs "
                           "and seed give the same plan on any machine.")
    solver_opt = typer.Option(Solver.cpsat, "--solver", help="cp-sat (optimising, default) or greedy (instant).")
    output_opt = typer.Option(None, "--output", help="Write the plan (JSON: week and tracks, Unix seconds) here.")
    format_opt = typer.Option(Format.table, "--format", help="table or json.")
    quiet_opt = typer.Option(False, "--quiet", help="No progress bar or warnings on standard error.")
    partner_opt = typer.Option(None, "--partner-ssf", help="A partner network's CCSDS Simple Schedule (SSF XML): its "
                               "committed activities are antenna time the plan keeps free.")

    @sched.command("satnet")
    def satnet(
        path: Path = typer.Argument(..., help="A SatNet problems file, e.g. ../shared/data/satnet/W10_2018.json."),
        week: Optional[str] = typer.Option(None, "--week", help="Week key, e.g. W10_2018 (needed when the file holds several)."),
        maintenance: Optional[Path] = typer.Option(None, "--maintenance", help="SatNet maintenance CSV (default: "
                                                   "maintenance_<week>.csv beside PATH when present)."),
        time_limit: float = time_limit_opt,
        seed: int = seed_opt,
        deterministic: bool = det_opt,
        solver: Solver = solver_opt,
        output: Optional[Path] = output_opt,
        fmt: Format = format_opt,
        quiet: bool = quiet_opt,
        partner_ssf: Optional[Path] = partner_opt,
    ) -> None:
        """Plan one real DSN week of the SatNet benchmark, validate it, print the four published metrics."""
        t0 = time.perf_counter()
        problem = _with_partner(_load_satnet(path, week, maintenance, quiet), partner_ssf, quiet)
        plan = _validated(problem, _plan(problem, solver, time_limit, seed, deterministic, quiet))
        elapsed = time.perf_counter() - t0
        _write_plan(plan, output)
        _report(problem, plan, elapsed, fmt, PUBLISHED.get(problem.name, []), output)

    @sched.command("plan")
    def plan_cmd(
        requests_file: Path = typer.Argument(..., help="Request file, TOML or JSON (see docs/scheduling.md)."),
        time_limit: float = time_limit_opt,
        seed: int = seed_opt,
        deterministic: bool = det_opt,
        solver: Solver = solver_opt,
        output: Optional[Path] = output_opt,
        fmt: Format = format_opt,
        quiet: bool = quiet_opt,
        partner_ssf: Optional[Path] = partner_opt,
    ) -> None:
        """Plan groundnet's own request file, validate the plan, print its metrics."""
        from ..schedule.requests_file import load_requests
        t0 = time.perf_counter()
        problem, issues = load_requests(requests_file)
        _warn(issues, quiet)
        problem = _with_partner(problem, partner_ssf, quiet)
        plan = _validated(problem, _plan(problem, solver, time_limit, seed, deterministic, quiet))
        _write_plan(plan, output)
        _report(problem, plan, time.perf_counter() - t0, fmt, [], output)

    @sched.command("replan")
    def replan_cmd(
        plan_file: Path = typer.Argument(..., help="A plan written by `schedule satnet|plan --output`."),
        outage: str = typer.Option(..., "--outage", help="ANTENNA,START,END with times in ISO 8601 UTC or Unix seconds."),
        satnet_file: Optional[Path] = typer.Option(None, "--satnet", help="The SatNet week the plan was made for."),
        week: Optional[str] = typer.Option(None, "--week", help="Week key within --satnet."),
        maintenance: Optional[Path] = typer.Option(None, "--maintenance", help="Maintenance CSV for --satnet."),
        requests_file: Optional[Path] = typer.Option(None, "--requests", help="The request file the plan was made for."),
        time_limit: float = typer.Option(5.0, "--time-limit", help="Seconds for re-planning."),
        seed: int = seed_opt,
        output: Optional[Path] = output_opt,
        fmt: Format = format_opt,
        quiet: bool = quiet_opt,
    ) -> None:
        """Re-plan after an antenna outage: unaffected contacts stay put, the hit ones are moved where possible."""
        from ..schedule.plan_file import load_plan
        from ..schedule.replan import replan, with_outage
        from ..schedule.requests_file import load_requests
        if (satnet_file is None) == (requests_file is None):
            raise ScheduleInputError("give the problem the plan was made for: --satnet FILE or --requests FILE")
        if satnet_file is not None:
            problem = _load_satnet(satnet_file, week, maintenance, quiet)
        else:
            problem, issues = load_requests(requests_file)
            _warn(issues, quiet)
        old = _validated(problem, load_plan(plan_file, problem))
        block = parse_outage(outage)
        new, impact = replan(problem, old, block, time_limit_s=time_limit, seed=seed)
        _validated(with_outage(problem, block), new)
        _write_plan(new, output)
        if fmt is Format.json:
            sys.stdout.write(json.dumps(impact.as_dict(), indent=2) + "\n")
            return
        rows = [{"mission": k, "hours_before": v["hours_before"], "hours_after": v["hours_after"],
                 "hours_lost": v["hours_lost"], "requests_hit": len(v["requests_hit"]),
                 "requests_dropped": len(v["requests_dropped"])} for k, v in sorted(impact.missions.items())]
        emit(rows, "table", columns=["mission", "hours_before", "hours_after", "hours_lost", "requests_hit",
                                     "requests_dropped"],
             title=f"outage {block.antenna}: {len(impact.affected)} tracks hit, {len(impact.new_tracks)} placed anew, "
                   f"{impact.hours_lost:.2f} h lost, {len(impact.requests_dropped)} requests dropped, "
                   f"{impact.elapsed_s:.2f} s")
        if output is not None:
            print(f"plan written to {output}")

    @sched.command("observations")
    def observations_cmd(
        station_file: Path = typer.Option(..., "--station-file", help="Stations (TOML), e.g. from `groundnet satnogs stations`."),
        catalog: Optional[list[str]] = typer.Option(None, "--catalog", help="TLE or OMM file(s) with the satellites' elements, or a source read through the cache (celestrak:amateur, satnogs:tle; docs/catalogs.md). Default: [catalog] default in groundnet.toml."),
        start: str = typer.Option(..., "--start", help="Start of the plan, ISO 8601 UTC."),
        hours: float = typer.Option(24.0, "--hours", help="Length of the plan, hours."),
        requests_file: Optional[Path] = typer.Option(None, "--requests", help="Observation requests (TOML: [[satellite]], [[station]]; docs/satnogs.md)."),
        transmitters: Optional[str] = typer.Option(None, "--transmitters", metavar="FILE|SOURCE", help="Or: a SatNOGS DB transmitters export, or satnogs:transmitters (read through the cache); every satellite with a usable transmitter is requested."),
        satellites: Optional[str] = typer.Option(None, "--satellites", metavar="FILE|SOURCE", help="With --transmitters: a SatNOGS DB satellites export, or satnogs:satellites; only satellites alive are requested."),
        stations: Optional[str] = typer.Option(None, "--stations", help="Station ids or patterns (default: every station of --station-file)."),
        planner: ObservationPlanner = typer.Option(ObservationPlanner.network, "--planner", help="network (one plan for all stations), satnogs-greedy (each station on its own, as the SatNOGS auto-scheduler), or compare (both, and the comparison)."),
        min_duration: float = typer.Option(60.0, "--min-duration", help="Shortest pass worth observing, seconds."),
        wait: float = typer.Option(0.0, "--wait", help="Seconds a station keeps free between two observations."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write the listing to this file instead of the terminal."),
        jobs: Optional[Path] = typer.Option(None, "--jobs", help="Also write the plan as SatNOGS Network jobs (JSON) for `groundnet serve --satnogs-jobs`; job ids continue after those of the file it replaces."),
        quiet: bool = quiet_opt,
    ) -> None:
        """Book observations of many satellites over a SatNOGS-sized network: whole passes, one satellite per station at a time.

        The network planner books the whole network at once so that stations do not observe the same
        satellite at the same time while others go unobserved; satnogs-greedy books each station on
        its own as the SatNOGS auto-scheduler does. Both plans are checked by the schedule validator
        (no station observes two satellites at once). Example:
        `groundnet schedule observations --station-file satnogs.toml --catalog active.tle
        --transmitters transmitters.json --start 2026-05-08T00:00:00Z --planner compare`.
        """
        from dataclasses import replace

        from ..interop.satnogs import read_satellites, read_transmitters
        from ..orbits.catalog import load_catalog
        from ..schedule import observations as obs
        from ..stations import load_network
        from ..timebase import parse_utc, to_unix
        from .catalog import NO_CATALOG, catalog_file, configured_catalog

        if (requests_file is None) == (transmitters is None):
            raise ScheduleInputError("give the satellites to observe: --requests FILE or --transmitters FILE")
        if not 0 < hours <= 24 * 14:
            raise ScheduleInputError(f"--hours must be in (0, 336], got {hours:g}")
        t0 = to_unix(parse_utc(start, "--start"))
        catalog = catalog or [c for c in (configured_catalog(),) if c]
        if not catalog:
            raise SelectionError(NO_CATALOG)
        catalog_files = [catalog_file(c, quiet=quiet, at_unix=t0) for c in catalog]
        network = load_network(station_file, include_bundled=stations is not None)
        antennas = network.select(stations)
        preferences = []
        if requests_file is not None:
            requests, preferences, issues = obs.load_observation_requests(requests_file)
        else:
            found, issues = read_transmitters(catalog_file(transmitters, quiet=quiet, kind="transmitters",
                                                           what="--transmitters"))
            sats = None
            if satellites is not None:
                sats, sat_issues = read_satellites(catalog_file(satellites, quiet=quiet, kind="satellites",
                                                                what="--satellites"))
                issues += sat_issues
            requests = obs.requests_from_transmitters(found, sats)
            issues = [str(i) for i in issues]
        load = load_catalog(catalog_files)
        names = {e.norad_id: e.name for e in load.elements}
        requests = [r if r.name else replace(r, name=names.get(r.norad_id, "")) for r in requests]
        known = set(names)
        issues += [f"NORAD {r.norad_id} ({r.name}): no element set in --catalog; not observed"
                   for r in requests if r.norad_id not in known]
        requests = [r for r in requests if r.norad_id in known]
        _warn(issues, quiet)
        if not requests:
            raise ScheduleInputError("no satellite left to observe after the checks above")
        candidates = obs.candidate_observations(load.elements, antennas, requests, t0, t0 + hours * 3600.0,
                                                preferences=preferences, min_duration_s=min_duration)
        baseline = obs.satnogs_greedy(candidates, wait_s=wait)
        if planner is ObservationPlanner.greedy:
            plan = baseline
        else:
            plan = obs.network_plan(candidates, baseline=baseline, wait_s=wait)
        _validated(*plan.as_schedule())
        if planner is ObservationPlanner.compare:
            rows = [obs.plan_metrics(baseline), obs.plan_metrics(plan)]
            emit(rows, fmt, output=output, title=f"{len(antennas)} stations, {len(requests)} satellites, "
                 f"{len(candidates)} passes to choose from, {hours:g} h")
            if not quiet:
                for key, value in obs.compare_to_baseline(plan, baseline).items():
                    print(f"{key}: {value}", file=sys.stderr)
            return
        if jobs is not None:
            from ..interop.satnogs import job_records, next_job_id

            records = job_records(plan, load.elements, first_id=next_job_id(jobs, note=lambda m: print(m, file=sys.stderr)))
            jobs.write_text(json.dumps(records, indent=1) + "\n", encoding="utf-8")
            if not quiet:
                print(f"{len(records)} SatNOGS jobs written to {jobs}", file=sys.stderr)
        emit(plan.rows(), fmt, output=output, title=f"{plan.method}: {len(plan.chosen)} observations")
