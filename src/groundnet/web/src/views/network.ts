// The network view: the world map, the station cards, the active links, the summary and the
// partner network's summary.
import { activityRank, renderCard, tickCountdowns } from "../cards";
import type { AntennaState, Board } from "../contract";
import type { Moment } from "../controller";
import { h } from "../dom";
import { WorldMap } from "../map";
import { renderLinks, renderPartnerSummary, renderSummary } from "../panels";
import type { TrackCache } from "../tracks";
import { $, type App, type View } from "./view";

export class NetworkView implements View {
  readonly id = "network";
  readonly title = "Network";
  readonly needsBoard = true;
  readonly map: WorldMap;
  private readonly cardCache = new Map<string, { sig: string; el: HTMLElement }>();
  private board: Board | null = null;
  private now = 0;

  constructor(private readonly app: App, private readonly tracks: TrackCache) {
    this.map = new WorldMap($("map"), (id) => app.selectStation(id, true));
    tracks.drawOn(this.map);
    for (const id of ["filter", "network-filter", "active-only"]) $(id).addEventListener("input", () => this.renderCards());
  }

  enter(m: Moment): void {
    this.now = m.now; // the board of the moment follows (onBoard)
  }

  leave(): void {}

  onMoment(m: Moment): void {
    this.now = m.now;
    tickCountdowns($("cards"), m.now);
  }

  onBoard(board: Board, m: Moment): void {
    this.board = board;
    this.now = m.now;
    this.fillNetworkFilter(board);
    this.render();
  }

  /** The partner feed changed. */
  partnerChanged(): void {
    renderPartnerSummary($("partner-summary"), this.app.data.partner);
  }

  select(id: string | null): void {
    this.map.select(id);
    this.renderCards();
  }

  private render(): void {
    const board = this.board;
    if (!board) return;
    const chosen = this.app.controller.url.spacecraft;
    this.map.chooseSpacecraft(chosen);
    this.map.update(board, this.now);
    this.map.drawSun(this.now);
    this.tracks.refresh(board, this.now, chosen);
    this.renderCards();
    renderLinks($("links"), board, (id) => this.app.selectStation(id, true));
    renderSummary($("summary"), board);
    renderPartnerSummary($("partner-summary"), this.app.data.partner);
  }

  renderCards(): void {
    const board = this.board;
    if (!board) return;
    const container = $("cards");
    const selected = this.app.controller.url.station;
    const query = ($("filter") as HTMLInputElement).value.trim().toLowerCase();
    const network = ($("network-filter") as HTMLSelectElement).value;
    const activeOnly = ($("active-only") as HTMLInputElement).checked;
    const shown = board.antennas
      .filter((a) => !network || a.network === network)
      .filter((a) => !activeOnly || a.activity !== "idle")
      .filter((a) => !query || [a.id, a.name, ...a.targets.map((t) => t.name)].some((x) => x.toLowerCase().includes(query)))
      .sort((a, b) => activityRank(a) - activityRank(b) || nextStart(a) - nextStart(b) || a.id.localeCompare(b.id));

    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
    const elements = shown.map((a) => {
      const sig = JSON.stringify(a) + (a.id === selected ? "*" : "");
      const cached = this.cardCache.get(a.id);
      if (cached && cached.sig === sig) return cached.el;
      const el = renderCard(a, {
        nowMs: this.now,
        selected: a.id === selected,
        onSelect: (id) => this.app.selectStation(id, false),
        onSpacecraft: (id) => this.app.openSpacecraft(id),
      });
      if (cached) cached.el.replaceWith(el);
      this.cardCache.set(a.id, { sig, el });
      return el;
    });
    const current = [...container.children];
    if (current.length !== elements.length || elements.some((el, i) => current[i] !== el)) container.replaceChildren(...elements);
    if (!shown.length) container.replaceChildren(h("p", { class: "muted" }, "No antenna matches the filter."));
    if (focusKey && !container.contains(document.activeElement)) {
      container.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
    }
    tickCountdowns(container, this.now);
  }

  /** The time zone changed: every card's times are drawn again. */
  redraw(): void {
    this.cardCache.clear();
    this.render();
  }

  private fillNetworkFilter(board: Board): void {
    const select = $("network-filter") as HTMLSelectElement;
    if (select.options.length > 1) return;
    for (const n of [...new Set(board.antennas.map((a) => a.network))].sort()) select.append(h("option", { value: n }, n));
  }
}

function nextStart(a: AntennaState): number {
  return a.next_contact ? Date.parse(a.next_contact.start) : Number.MAX_SAFE_INTEGER;
}
