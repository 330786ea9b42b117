// The one owner of time on the page: the clock (following the server, or a replay the viewer
// chose), the URL that shares it, the board of the moment (pushed live, or fetched for a replayed
// moment) and the live link. Every change ends in one call, `changed()`, which writes the URL and
// emits one Moment to whoever listens; views never touch the clock or the URL themselves.
import { api } from "./api";
import { ViewClock, readUrl, writeUrl, type UrlState } from "./clock";
import type { Board } from "./contract";
import { isoUtc } from "./format";
import type { LinkStatus } from "./live";

export interface Moment {
  /** The moment shown, POSIX milliseconds. */
  now: number;
  /** "live": following the server's clock; "replay": a moment the viewer chose. */
  mode: "live" | "replay";
  paused: boolean;
  speed: number;
  /** The viewer moved the time (jump, step, live): anything cached for the old time is stale. */
  jumped: boolean;
}

export interface MomentListener {
  onMoment(m: Moment): void;
  onBoard(board: Board, m: Moment): void;
}

export class Controller {
  readonly clock = new ViewClock();
  readonly url: UrlState = readUrl();
  board: Board | null = null;
  /** The latest board the server pushed, kept while replaying so that "live" is instant. */
  serverBoard: Board | null = null;
  boardReceived = 0; // performance.now() of the last board shown
  link: LinkStatus = "connecting";
  linkAttempt = 0;
  replayError: string | null = null;
  replayInflight = false;
  /** False while a view that needs no board of the moment is shown (the launch replay). */
  boardWanted = true;
  private replayRequest = 0; // only the newest request may show its board: answers come out of order
  private lastUrlSync = 0;
  private readonly listeners: MomentListener[] = [];

  constructor() {
    if (this.url.t != null) this.clock.replay(this.url.t, this.url.speed, this.url.paused);
  }

  listen(listener: MomentListener): void {
    this.listeners.push(listener);
  }

  moment(jumped = false): Moment {
    const c = this.clock;
    return { now: c.now(), mode: c.mode === "replay" ? "replay" : "live", paused: c.mode === "replay" && c.paused, speed: c.speed, jumped };
  }

  get replaying(): boolean {
    return this.clock.mode === "replay";
  }

  // ------------------------------------------------------------ what the viewer does with time

  jumpTo(ms: number, speed = this.clock.speed, paused = this.clock.paused): void {
    this.clock.replay(ms, speed, paused);
    this.changed(true);
  }

  goLive(): void {
    this.clock.mode = "follow";
    this.replayError = null;
    const latest = this.serverBoard;
    if (latest) this.showBoard(latest);
    else api.board().then((b) => this.showBoard(b), () => undefined);
    this.changed(true);
  }

  togglePlay(): void {
    if (this.clock.mode === "follow") this.clock.replay(this.clock.now(), this.clock.speed, true);
    else this.clock.togglePause();
    this.changed(true);
  }

  step(seconds: number): void {
    this.enterReplay();
    this.clock.step(seconds);
    this.changed(true);
  }

  setSpeed(speed: number): void {
    this.enterReplay();
    this.clock.setSpeed(speed);
    this.changed(false);
  }

  private enterReplay(): void {
    if (this.clock.mode === "follow") this.clock.replay(this.clock.now(), this.clock.speed, this.clock.paused);
  }

  /** Set (or clear, with null) a parameter of the shared URL: the view, a station, a spacecraft... */
  setParam(key: "view" | "station" | "spacecraft" | "scenario", value: string | null): void {
    if (key === "view") this.url.view = value ?? "network";
    else this.url[key] = value;
    this.syncUrl();
  }

  /** The one sequence after any change of time: URL, board of the moment, then every listener. */
  changed(jumped: boolean): void {
    this.syncUrl();
    if (jumped) this.fetchReplayBoard(true);
    const m = this.moment(jumped);
    for (const l of this.listeners) l.onMoment(m);
  }

  /** Once a second: the clock advanced by itself. */
  tick(): void {
    if (this.replaying && (!this.clock.paused || !this.board)) this.fetchReplayBoard();
    if (this.replaying && performance.now() - this.lastUrlSync > 2000) this.syncUrl();
    const m = this.moment(false);
    for (const l of this.listeners) l.onMoment(m);
  }

  syncUrl(): void {
    this.lastUrlSync = performance.now();
    const u = this.url;
    writeUrl({ ...u, t: this.replaying ? this.clock.now() : null, speed: this.clock.speed, paused: this.clock.paused });
  }

  // ------------------------------------------------------------ boards

  /** A board pushed by the server: shown when following, kept otherwise. */
  pushed(board: Board): void {
    this.serverBoard = board;
    if (!this.replaying) this.showBoard(board);
  }

  /** The first board when the page opens. */
  start(): void {
    if (this.replaying) this.fetchReplayBoard(true);
    else api.board().then((b) => !this.replaying && !this.board && this.showBoard(b), () => undefined);
  }

  fetchReplayBoard(force = false): void {
    if (!this.replaying || (this.replayInflight && !force) || !this.boardWanted) return;
    this.replayInflight = true;
    const request = ++this.replayRequest;
    api.board(isoUtc(this.clock.now())).then(
      (board) => {
        if (request !== this.replayRequest) return;
        this.replayInflight = false;
        this.replayError = null;
        if (this.replaying) this.showBoard(board);
      },
      (err: Error) => {
        if (request !== this.replayRequest) return;
        this.replayInflight = false;
        this.replayError = err.message ?? "server unreachable";
      },
    );
  }

  private showBoard(board: Board): void {
    if (!this.board) performance.mark("groundnet:first-board");
    this.board = board;
    this.boardReceived = performance.now();
    if (!this.replaying) this.clock.follow(Date.parse(board.time), board.speed);
    const m = this.moment(false);
    for (const l of this.listeners) l.onBoard(board, m);
  }
}
