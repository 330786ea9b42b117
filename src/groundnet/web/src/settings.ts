// The viewer's settings, kept in the browser (localStorage): the time zone of every time shown.
import { setDisplayZone } from "./format";

const KEY = "groundnet.board.settings";

export interface Settings {
  /** Times in the browser's time zone instead of UTC. */
  localTime: boolean;
}

export function loadSettings(): Settings {
  let stored: Partial<Settings> = {};
  try {
    stored = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<Settings>;
  } catch {
    /* a damaged entry: the defaults */
  }
  const settings: Settings = { localTime: stored.localTime === true };
  setDisplayZone(settings.localTime ? "local" : "utc");
  return settings;
}

export function saveSettings(settings: Settings): void {
  setDisplayZone(settings.localTime ? "local" : "utc");
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    /* private mode: the setting lasts as long as the page */
  }
}
