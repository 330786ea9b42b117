// The launch view: a launch scenario's analysis replayed from lift-off (first acquisitions,
// coverage, the ground track from separation). It needs no board of the moment.
import { HttpError, api } from "../api";
import type { LeopScenarioInfo } from "../contract";
import type { Moment } from "../controller";
import { h } from "../dom";
import { LaunchView as LaunchPanels } from "../launch";
import { WorldMap } from "../map";
import { $, type App, type View } from "./view";

export class LaunchView implements View {
  readonly id = "launch";
  readonly title = "Launch";
  readonly needsBoard = false;
  private readonly map: WorldMap;
  private readonly panels: LaunchPanels;
  private mapLoaded = false;
  private scenarios: LeopScenarioInfo[] | null = null;
  private loading: string | null = null; // the scenario whose analysis is being fetched

  constructor(private readonly app: App) {
    // The launch map draws the whole ground track from separation, whatever the height.
    this.map = new WorldMap($("launch-map"), () => undefined, { trackHalfSpanMs: Infinity, anyOrbit: true });
    this.panels = new LaunchPanels(
      { status: $("launch-status"), events: $("launch-events"), table: $("launch-table"), coverage: $("launch-coverage") },
      this.map,
      (ms) => app.controller.jumpTo(ms),
    );
    $("launch-scenario").addEventListener("change", (ev) => {
      app.controller.setParam("scenario", (ev.target as HTMLSelectElement).value);
      this.ensure(app.controller.moment());
    });
  }

  enter(m: Moment): void {
    this.ensure(m);
  }

  leave(): void {
    this.app.controller.setParam("scenario", null);
  }

  onMoment(m: Moment): void {
    this.ensure(m);
  }

  onBoard(): void {}

  /** The zone of the times shown changed. */
  redraw(): void {
    this.panels.redraw(this.app.controller.clock.now());
  }

  statusText(m: Moment): { mode: string; fresh: string } | null {
    if (m.mode !== "replay") return null;
    const report = this.panels.loaded;
    return {
      mode: m.paused ? "Replay · paused" : `Replay · ${m.speed}×`,
      fresh: report ? `launch analysis of ${report.scenario.name}` : "loading the launch analysis…",
    };
  }

  private ensure(m: Moment): void {
    const controller = this.app.controller;
    if (!this.mapLoaded) {
      this.mapLoaded = true;
      this.map.loadWorld().catch(() => undefined);
    }
    if (!this.scenarios) {
      this.scenarios = [];
      api.leopScenarios().then(
        (list) => {
          this.scenarios = list;
          const select = $("launch-scenario") as HTMLSelectElement;
          select.replaceChildren(...list.map((sc) => h("option", { value: sc.name }, sc.title)));
          let name = controller.url.scenario;
          if (!name || !list.some((sc) => sc.name === name)) name = list[0]?.name ?? null;
          select.value = name ?? "";
          controller.setParam("scenario", name);
          this.ensure(controller.moment());
        },
        (err: Error) => {
          this.scenarios = null;
          this.app.toast(`Launch scenarios unavailable: ${err.message}`);
        },
      );
      return;
    }
    const name = controller.url.scenario;
    if (!name) return;
    if (this.panels.loaded?.scenario.file !== name) {
      if (this.loading === name) return;
      this.loading = name;
      $("launch-status").replaceChildren(h("p", { class: "muted" }, "The server is computing the launch analysis…"));
      api.leopScenario(name).then(
        (report) => {
          this.loading = null;
          if (controller.url.scenario !== name) return;
          this.panels.setReport(report);
          $("launch-title").textContent = report.scenario.name;
          // Replay the launch from lift-off unless the moment shown is already within it.
          const span = this.panels.span();
          const t = controller.clock.now();
          const kiosk = controller.url.kiosk;
          if (span && (!controller.replaying || t < span.start - 3600_000 || t > span.end + 3600_000)) {
            // 600x unless a speed was chosen (a day of launch in a few minutes); a wall screen plays it
            const chosen = controller.replaying && controller.clock.speed !== 1 ? controller.clock.speed : controller.url.speed;
            controller.jumpTo(span.start, chosen !== 1 ? chosen : 600, !kiosk);
          }
          document.body.dataset.launch = name;
          this.panels.render(controller.clock.now());
        },
        (err: Error) => {
          this.loading = null;
          // One analysis runs at a time on the server: busy (429) means try again shortly.
          if (err instanceof HttpError && err.status === 429) window.setTimeout(() => this.ensure(controller.moment()), 2000);
          else $("launch-status").replaceChildren(h("p", { class: "warn" }, `Launch analysis unavailable: ${err.message}`));
        },
      );
      return;
    }
    const span = this.panels.span();
    if (controller.url.kiosk && span && m.mode === "replay" && !m.paused && m.now > span.end) {
      controller.jumpTo(span.start); // a wall screen replays the launch over and over
      return;
    }
    this.panels.render(m.now);
  }
}
