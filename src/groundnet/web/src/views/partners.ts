// The partner network: the imported DSN Now feed, one card per dish.
import type { Moment } from "../controller";
import { renderPartners } from "../panels";
import { $, type App, type View } from "./view";

export class PartnersView implements View {
  readonly id = "partners";
  readonly title = "Partners";
  readonly needsBoard = true;
  private now = 0;

  constructor(private readonly app: App) {}

  enter(m: Moment): void {
    this.now = m.now;
    this.render();
  }

  leave(): void {}

  onMoment(m: Moment): void {
    this.now = m.now;
    if (m.jumped) this.render();
  }

  onBoard(): void {}

  /** The feed changed, or the time zone did. */
  render(): void {
    renderPartners($("partner-meta"), $("partner-cards"), this.app.data.partner, this.now);
  }
}
