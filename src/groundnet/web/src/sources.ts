// The stale-data badges in the header: one per data source the service refreshes (elements,
// transmitters, Earth orientation...) that is stale or failing, from `GET /api/v1/status`
// (`sources`). Nothing is shown when every source is fresh or the server reports none.
import { api } from "./api";
import type { SourceStatus } from "./contract";
import { h } from "./dom";
import { dateTime, duration, known, zoneLabel } from "./format";

export class SourceBadges {
  constructor(private readonly el: HTMLElement) {}

  refresh(): void {
    api.status().then(
      (status) => this.render(Array.isArray(status.sources) ? status.sources : []),
      () => undefined, // the status is optional: the board works without it
    );
  }

  render(sources: SourceStatus[]): void {
    const bad = sources.filter((s) => s.stale || s.last_error);
    this.el.hidden = bad.length === 0;
    this.el.replaceChildren(...bad.map((s) => {
      const age = s.age_s != null && Number.isFinite(s.age_s) ? `${duration(s.age_s)} old` : "never fetched";
      const when = s.fetched_at ? `fetched ${dateTime(s.fetched_at)} ${zoneLabel()}` : "never fetched";
      const error = s.last_error ? `; last error: ${s.last_error}` : "";
      const title = `${known(s.name)}: ${when}${s.refresh_interval_s ? `, refreshed every ${duration(s.refresh_interval_s)}` : ""}${error}`;
      return h("span", { class: `badge ${s.last_error ? "bad" : "stale"}`, role: "status", title, "aria-label": title, "data-source": s.name },
        `${known(s.name)} ${s.stale ? age : "failing"}`);
    }));
  }
}
