// The server's live push, reconnecting by itself with a growing delay and asking for what it
// missed (`since_seq`) when it comes back. WebSocket first; Server-Sent Events when WebSockets
// never get through (some proxies block them), with the same messages.
import { API } from "./api";
import type { LiveMessage } from "./contract";

export type LinkStatus = "connecting" | "open" | "reconnecting";
export type Transport = "websocket" | "sse";

export interface LiveHandlers {
  message(msg: LiveMessage): void;
  status(status: LinkStatus, attempt: number, transport: Transport): void;
}

/** WebSocket attempts that never opened before the page tries Server-Sent Events instead. */
const WEBSOCKET_TRIES = 2;

export class LiveLink {
  private socket: WebSocket | EventSource | null = null;
  private lastSeq: number | null = null;
  private attempt = 0;
  private timer: number | undefined;
  private transport: Transport = "websocket";
  private everOpened = false;

  constructor(private readonly handlers: LiveHandlers) {}

  start(): void {
    this.connect();
  }

  private connect(): void {
    this.handlers.status(this.attempt === 0 ? "connecting" : "reconnecting", this.attempt, this.transport);
    try {
      this.socket = this.transport === "websocket" ? this.openWebSocket() : this.openEventSource();
    } catch {
      this.closed();
    }
  }

  private openWebSocket(): WebSocket {
    const url = new URL(`${API}/live`, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    socket.onopen = () => {
      if (this.lastSeq != null) socket.send(JSON.stringify({ since_seq: this.lastSeq }));
      this.opened();
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onclose = () => this.socket === socket && this.closed();
    socket.onerror = () => socket.close();
    return socket;
  }

  private openEventSource(): EventSource {
    const url = new URL(`${API}/live/sse`, location.href);
    if (this.lastSeq != null) url.searchParams.set("since_seq", String(this.lastSeq));
    const source = new EventSource(url);
    source.onopen = () => this.opened();
    source.onmessage = (ev) => this.receive(ev.data);
    // EventSource would retry on its own; closing it keeps one retry policy for both transports.
    source.onerror = () => {
      source.close();
      if (this.socket === source) this.closed();
    };
    return source;
  }

  private opened(): void {
    this.attempt = 0;
    this.everOpened = true;
    this.handlers.status("open", 0, this.transport);
  }

  private receive(data: unknown): void {
    let msg: LiveMessage;
    try {
      msg = JSON.parse(data as string) as LiveMessage;
    } catch {
      return;
    }
    if (typeof msg.seq === "number") this.lastSeq = msg.seq;
    this.handlers.message(msg);
  }

  private closed(): void {
    this.socket = null;
    this.attempt += 1;
    if (this.transport === "websocket" && !this.everOpened && this.attempt >= WEBSOCKET_TRIES) this.transport = "sse";
    const delay = Math.min(5000, 400 * 2 ** Math.min(this.attempt - 1, 4)) * (0.8 + Math.random() * 0.4);
    this.handlers.status("reconnecting", this.attempt, this.transport);
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.connect(), delay);
  }
}
