// The spacecraft view: the fleet's list, one spacecraft's map, distances, links, element age and
// next passes.
import { api } from "../api";
import type { Board, Pass, PassPointing, SpacecraftInfo } from "../contract";
import type { Moment } from "../controller";
import { h } from "../dom";
import { dateTime, isoUtc, zoneLabel } from "../format";
import { renderSkyPlot } from "../skyplot";
import { WorldMap } from "../map";
import { renderSpacecraftDetail, renderSpacecraftList } from "../spacecraft";
import type { TrackCache } from "../tracks";
import { $, type App, type View } from "./view";

export class SpacecraftView implements View {
  readonly id = "spacecraft";
  readonly title = "Spacecraft";
  readonly needsBoard = true;
  private readonly map: WorldMap;
  private mapLoaded = false;
  private list: SpacecraftInfo[] | null = null;
  private detail: SpacecraftInfo | null = null;
  private fetchedAt = 0;
  private distanceTime: string | null = null; // the moment of the distances fetched in a replay
  private board: Board | null = null;
  private now = 0;
  private sky: { spacecraft: string; pointing: PassPointing; title: string } | null = null;

  constructor(private readonly app: App, private readonly tracks: TrackCache) {
    // Every station, the one spacecraft, its track and its links.
    this.map = new WorldMap($("sc-map"), (id) => {
      app.show("network");
      app.selectStation(id, true);
    });
    tracks.drawOn(this.map);
  }

  get chosen(): string | null {
    return this.app.controller.url.spacecraft;
  }

  /** Show this spacecraft (from a card, a contact, the list). */
  choose(id: string): void {
    if (id !== this.chosen) this.detail = null;
    this.app.controller.setParam("spacecraft", id);
    this.fetchedAt = 0;
  }

  enter(m: Moment): void {
    this.now = m.now;
    if (!this.mapLoaded) {
      this.mapLoaded = true;
      this.map.loadWorld().catch(() => undefined);
    }
    this.loadList();
    this.fetchedAt = 0;
    this.render(true);
  }

  leave(): void {
    this.app.controller.setParam("spacecraft", null);
  }

  onMoment(m: Moment): void {
    this.now = m.now;
    if (m.jumped) this.fetchedAt = 0;
    this.render(false);
  }

  onBoard(board: Board, m: Moment): void {
    this.board = board;
    this.now = m.now;
    this.render(false);
  }

  /** The zone of the times shown or the element-age limits changed (they may arrive after the list). */
  redraw(): void {
    this.drawList();
    this.drawDetail();
  }

  private loadList(): void {
    if (this.list) return;
    this.list = [];
    api.spacecraftList().then(
      (list) => {
        this.list = list;
        if (!this.chosen && list.length) this.choose(list[0].id);
        this.render(true);
      },
      (err: Error) => {
        this.list = null;
        this.app.toast(`Spacecraft list unavailable: ${err.message}`);
      },
    );
  }

  private drawList(): void {
    renderSpacecraftList($("sc-list"), this.list, this.board, this.chosen, this.now, (id) => {
      this.choose(id);
      this.render(true);
    });
  }

  private render(force: boolean): void {
    this.drawList();
    if (this.board) this.drawMap(this.board);
    const id = this.chosen;
    if (id && (force || performance.now() - this.fetchedAt > 10_000)) this.fetch(id);
    this.drawDetail();
  }

  private fetch(id: string): void {
    this.fetchedAt = performance.now();
    const now = this.now;
    // In a replay, distance, speed and next passes at the moment shown (the server's clock may be elsewhere).
    const at = this.app.controller.replaying ? isoUtc(now) : undefined;
    api.spacecraft(id, at).then(
      (detail) => {
        if (this.chosen !== id) return;
        this.detail = detail;
        this.distanceTime = at ?? null;
        this.drawDetail();
      },
      (err: Error) => {
        if (this.chosen !== id) return;
        this.detail = null;
        $("sc-detail").replaceChildren(h("p", { class: "warn" }, `Spacecraft ${id}: ${err.message}`));
      },
    );
  }

  private drawMap(board: Board): void {
    const id = this.chosen;
    this.map.chooseSpacecraft(id);
    this.map.update({ ...board, spacecraft: board.spacecraft.filter((sc) => sc.id === id) }, this.now);
    this.map.drawSun(this.now);
    this.tracks.refresh(board, this.now, id);
  }

  private drawDetail(): void {
    const id = this.chosen;
    const detail = this.detail && this.detail.id === id ? this.detail : null;
    renderSpacecraftDetail($("sc-detail"), detail, id, this.board, this.now, this.distanceTime, {
      onStation: (station) => {
        this.app.show("network");
        this.app.selectStation(station, true);
      },
      onPass: (pass) => this.showSky(pass),
    });
    const sky = document.getElementById("sc-sky");
    if (!sky) return;
    if (this.sky && this.sky.spacecraft === id) sky.replaceChildren(renderSkyPlot(this.sky.pointing, this.now, this.sky.title));
    else if (sky.dataset.spacecraftId !== id) sky.replaceChildren(); // another craft's plot is not this one's
    sky.dataset.spacecraftId = id ?? "";
  }

  /** The sky plot of one pass, under the passes table (kept while the details refresh). */
  private showSky(pass: Pass): void {
    const id = this.chosen;
    if (!id) return;
    const title = `Sky plot of ${id} over ${pass.station_id}, ${dateTime(pass.aos)} ${zoneLabel(Date.parse(pass.aos))}`;
    const sky = document.getElementById("sc-sky");
    if (sky) sky.dataset.spacecraftId = id;
    sky?.replaceChildren(h("p", { class: "muted" }, `Loading the ${title.toLowerCase()}…`));
    api.pointing(id, pass.station_id, pass.aos, pass.los).then(
      (pointing) => {
        this.sky = { spacecraft: id, pointing, title };
        this.drawDetail();
      },
      (err: Error) => document.getElementById("sc-sky")?.replaceChildren(h("p", { class: "warn" }, `Sky plot unavailable: ${err.message}`)),
    );
  }
}
