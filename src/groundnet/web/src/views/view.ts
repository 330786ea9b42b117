// What a view of the board is: a module that the wiring (main.ts) enters and leaves, and that hears
// each moment and each board while it is shown. A view keeps its own cache; it reads the time only
// from the Moment and changes it only through the controller.
import type { Controller, Moment } from "../controller";
import type { Board, GroundEvent, PartnerFeed } from "../contract";
import type { Settings } from "../settings";

export interface View {
  /** The id in the URL (`?view=`) and in the section's id (`view-<id>`). */
  readonly id: string;
  /** Its tab's label. */
  readonly title: string;
  /** False for a view that shows no board of the moment (the launch replay): none is fetched for it. */
  readonly needsBoard: boolean;
  enter(m: Moment): void;
  leave(): void;
  onMoment(m: Moment): void;
  onBoard(board: Board, m: Moment): void;
  /** The freshness line under the clock while this view is shown, when the view has its own say. */
  statusText?(m: Moment): { mode: string; fresh: string } | null;
}

/** What every view may use: the controller, the shared side data and the page's navigation. */
export interface App {
  readonly controller: Controller;
  readonly settings: Settings;
  readonly data: SideData;
  show(view: string, focus?: boolean): void;
  openSpacecraft(id: string): void;
  /** The residuals view, for a contact of the plan. */
  openResiduals(contactId: string): void;
  selectStation(id: string, scroll: boolean): void;
  toast(message: string): void;
  openDialog(title: string, ...body: HTMLElement[]): void;
  closeDialog(): void;
}

/** Data several views read, loaded once by the wiring and refreshed when the server says so. */
export interface SideData {
  events: GroundEvent[];
  partner: PartnerFeed | null;
  /** Set when the server re-planned: views that show the plan fetch it again. */
  planChanged: boolean;
}

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
