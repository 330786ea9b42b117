// The event log: station events, newest first; in replay only those that had happened by then.
import type { Board } from "../contract";
import type { Moment } from "../controller";
import { h } from "../dom";
import { zoneLabel } from "../format";
import { renderEvents } from "../panels";
import { $, type App, type View } from "./view";

export class EventsView implements View {
  readonly id = "events";
  readonly title = "Events";
  readonly needsBoard = true;
  private until: number | null = null;

  constructor(private readonly app: App) {
    $("event-filter").addEventListener("change", () => this.render());
  }

  enter(m: Moment): void {
    this.onMoment(m);
    this.render();
  }

  leave(): void {}

  onMoment(m: Moment): void {
    const until = m.mode === "replay" ? m.now : null;
    const changed = (until == null) !== (this.until == null) || (until != null && this.until != null && Math.abs(until - this.until) >= 1000);
    this.until = until;
    if (changed) this.render();
  }

  onBoard(board: Board): void {
    const select = $("event-filter") as HTMLSelectElement;
    if (select.options.length > 1) return;
    for (const a of board.antennas) select.append(h("option", { value: a.id }, a.id));
  }

  /** New events came, or the time zone changed. */
  render(): void {
    $("events-time-head").textContent = `Time (${zoneLabel()})`;
    renderEvents($("events"), this.app.data.events, ($("event-filter") as HTMLSelectElement).value, this.until);
  }
}
