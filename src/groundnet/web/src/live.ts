// The server's live push over WebSocket, reconnecting by itself with a growing delay and
// asking for what it missed (`since_seq`) when it comes back.
import { API } from "./api";
import type { LiveMessage } from "./types";

export type LinkStatus = "connecting" | "open" | "reconnecting";

export interface LiveHandlers {
  message(msg: LiveMessage): void;
  status(status: LinkStatus, attempt: number): void;
}

export class LiveLink {
  private socket: WebSocket | null = null;
  private lastSeq: number | null = null;
  private attempt = 0;
  private timer: number | undefined;
  private stopped = false;

  constructor(private readonly handlers: LiveHandlers) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close();
  }

  private connect(): void {
    const url = new URL(`${API}/live`, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    this.handlers.status(this.attempt === 0 ? "connecting" : "reconnecting", this.attempt);
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      if (this.lastSeq != null) socket.send(JSON.stringify({ since_seq: this.lastSeq }));
      this.handlers.status("open", 0);
    };
    socket.onmessage = (ev) => {
      let msg: LiveMessage;
      try {
        msg = JSON.parse(ev.data as string) as LiveMessage;
      } catch {
        return;
      }
      if (typeof msg.seq === "number") this.lastSeq = msg.seq;
      this.handlers.message(msg);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.socket = null;
      this.retry();
    };
    socket.onerror = () => socket.close();
  }

  private retry(): void {
    if (this.stopped) return;
    this.attempt += 1;
    const delay = Math.min(5000, 400 * 2 ** Math.min(this.attempt - 1, 4)) * (0.8 + Math.random() * 0.4);
    this.handlers.status("reconnecting", this.attempt);
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.connect(), delay);
  }
}
