// The partner networks: the imported DSN Now feed and a partner's CCSDS Simple Schedule, one card per
// dish, then the schedule's activities (those running at the moment shown marked).
import { api, type PartnerSchedule } from "../api";
import type { Moment } from "../controller";
import { h } from "../dom";
import { dateTime, hhmmss } from "../format";
import { renderPartners } from "../panels";
import { $, type App, type View } from "./view";

export class PartnersView implements View {
  readonly id = "partners";
  readonly title = "Partners";
  readonly needsBoard = true;
  private now = 0;

  constructor(private readonly app: App) {}

  private schedule: PartnerSchedule | null = null;

  enter(m: Moment): void {
    this.now = m.now;
    this.render();
    this.loadSchedule();
  }

  /** The partner's schedule (404 when none is imported: nothing shown). */
  loadSchedule(): void {
    api.partnerSsf().then((s) => {
      this.schedule = s;
      this.renderSchedule();
    }, () => undefined);
  }

  private renderSchedule(): void {
    const el = $("partner-schedule");
    const s = this.schedule;
    this.shownKey = this.runningKey();
    el.hidden = !s;
    if (!s) return;
    const rows = s.activities.map((a) => {
      const running = Date.parse(a.beginning_of_activity) <= this.now && this.now < Date.parse(a.end_of_activity);
      return h("tr", { class: running ? "running" : "", "data-activity-id": a.activity_id },
        h("td", {}, a.activity_id), h("td", {}, a.user), h("td", {}, a.aperture), h("td", {}, a.site),
        h("td", { class: "num" }, `${dateTime(a.beginning_of_track)} – ${hhmmss(Date.parse(a.end_of_track))}`),
        h("td", {}, a.status.toLowerCase()));
    });
    el.replaceChildren(
      h("h3", {}, `Schedule of ${s.originator ?? "the partner"} (CCSDS Simple Schedule): ${s.activities.length} activities`),
      h("div", { class: "table-wrap" }, h("table", { class: "events" },
        h("thead", {}, h("tr", {}, ...["Activity", "Spacecraft", "Aperture", "Site", "Track", "Status"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, ...rows))),
    );
    if (s.problems.length) {
      el.append(h("p", { class: "muted" }, `${s.problems.length} activities refused on import: ${s.problems.slice(0, 3).join("; ")}`));
    }
  }

  leave(): void {}

  onMoment(m: Moment): void {
    this.now = m.now;
    if (m.jumped) this.render();
    else if (this.runningKey() !== this.shownKey) this.render();
  }

  private shownKey = "";

  /** The activities running at the moment: the table is drawn again when they change. */
  private runningKey(): string {
    return (this.schedule?.activities ?? [])
      .filter((a) => Date.parse(a.beginning_of_activity) <= this.now && this.now < Date.parse(a.end_of_activity))
      .map((a) => a.activity_id).join(" ");
  }

  onBoard(): void {}

  /** The feed changed, or the time zone did. */
  render(): void {
    renderPartners($("partner-meta"), $("partner-cards"), this.app.data.partner, this.now);
    this.renderSchedule();
  }
}
