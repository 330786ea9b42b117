// Station cards: one antenna's state at a glance, planned beside reported.
import { staleBadge } from "./ages";
import { h } from "./dom";
import { ACTIVITY_LABEL, countdown, dataRate, degrees, frequency, hhmm, known, lightTime, rangeKm, shiftedFrequency } from "./format";
import { bandClass } from "./map";
import type { AntennaState, Link, PartnerAntenna } from "./contract";

export interface CardOptions {
  nowMs: number;
  selected: boolean;
  onSelect?: (id: string) => void;
  onSpacecraft?: (id: string) => void;
  /** A partner's dish: its feed says what it does now, not what it will do. */
  partner?: boolean;
}

export function activityRank(a: AntennaState): number {
  const order = ["tracking", "outage", "setup", "teardown", "maintenance", "idle"];
  const i = order.indexOf(a.activity);
  return i < 0 ? order.length : i;
}

export function renderCard(a: AntennaState | PartnerAntenna, opts: CardOptions): HTMLElement {
  const titleId = `card-${a.id}-title`;
  const mismatch = a.reported_activity != null && a.reported_activity !== a.activity;
  const card = h("article", {
    class: `card act-${a.activity}${opts.selected ? " selected" : ""}${mismatch ? " mismatch" : ""}`,
    "data-station-id": a.id,
    "data-activity": a.activity,
    "aria-labelledby": titleId,
    tabindex: -1,
  });

  const about = [a.name !== a.id ? a.name : "", a.dish_m ? `${a.dish_m} m` : "", a.bands.join("/")].filter(Boolean).join(" · ");
  card.append(
    h("header", { class: "card-head" },
      h("div", {},
        h("h3", { id: titleId },
          opts.onSelect
            ? h("button", { class: "linkish", type: "button", "data-focus-key": `station-${a.id}`, onclick: () => opts.onSelect?.(a.id), "aria-label": `${a.id}, show on map` }, a.id)
            : a.id),
        about ? h("p", { class: "sub" }, about) : null),
      "out_of_service" in a && a.out_of_service
        ? h("span", { class: "pill act-outage", title: "the feed marks this dish out of service" }, "Out of service")
        : h("span", { class: `pill act-${a.activity}`, title: "planned activity" }, ACTIVITY_LABEL[a.activity] ?? a.activity)),
  );

  if (mismatch) {
    card.append(
      h("p", { class: "reported warn", role: "note" },
        "Station reports ", h("strong", {}, ACTIVITY_LABEL[a.reported_activity!] ?? a.reported_activity!),
        ` (planned ${ACTIVITY_LABEL[a.activity] ?? a.activity})`),
    );
  } else if (a.reported_activity) {
    card.append(h("p", { class: "reported ok" }, `Reported: ${ACTIVITY_LABEL[a.reported_activity] ?? a.reported_activity}`));
  }

  if (a.targets.length) {
    card.append(
      h("p", { class: "targets" },
        ...a.targets.flatMap((t, i) => [
          i ? ", " : "",
          opts.onSpacecraft
            ? h("button", { class: "linkish target", type: "button", "data-spacecraft-id": t.spacecraft_id, "data-focus-key": `target-${a.id}-${t.spacecraft_id}`, onclick: () => opts.onSpacecraft?.(t.spacecraft_id) }, t.name)
            : h("span", { class: "target", "data-spacecraft-id": t.spacecraft_id }, t.name),
          opts.partner ? null : staleBadge(t.spacecraft_id, opts.nowMs),
        ])),
    );
    const rows = h("dl", { class: "facts" });
    rows.append(...linkRow("Down", "↓", a.downlink, shiftedFrequency(a.downlink_hz, a.downlink_received_hz, "received")),
      ...linkRow("Up", "↑", a.uplink, shiftedFrequency(a.uplink_hz, a.uplink_transmit_hz, "send")));
    rows.append(
      h("dt", {}, "Pointing"), h("dd", {}, `az ${degrees(a.azimuth_deg)} · el ${degrees(a.elevation_deg)}`),
      h("dt", {}, "Range"), h("dd", {}, rangeText(a)),
      h("dt", {}, "RTLT"), h("dd", {}, lightTime(a.rtlt_s)),
    );
    card.append(rows);
  }

  const next = a.next_contact;
  const nextLine = h("p", { class: "next" });
  if (next) {
    nextLine.append(
      h("span", { class: "label" }, "Next "),
      `${next.spacecraft_name ?? next.spacecraft_id} ${hhmm(Date.parse(next.start))}–${hhmm(Date.parse(next.end))} `,
      h("span", { class: "countdown", "data-start": next.start }, countdown(Date.parse(next.start), opts.nowMs)),
    );
    const stale = opts.partner ? null : staleBadge(next.spacecraft_id, Date.parse(next.start));
    if (stale) nextLine.append(" ", stale);
  } else {
    nextLine.append(h("span", { class: "label" }, opts.partner ? "The feed carries no plan" : "No contact planned ahead"));
  }
  card.append(nextLine);
  const last = "last_contact" in a ? a.last_contact : null;
  if (last) {  // the contact's record: what became of the antenna's last contact
    card.append(h("p", { class: "last", "data-status": last.status ?? "" },
      h("span", { class: "label" }, "Last "),
      `${last.spacecraft_name} ${hhmm(Date.parse(last.start))}–${hhmm(Date.parse(last.end))} `,
      h("span", { class: "state" }, last.status ? `${last.status}${last.cause ? ` (${last.cause})` : ""}` : "not recorded")));
  }
  return card;
}

const SIGNAL_TEXT: Record<string, string> = { none: "no signal", carrier: "carrier", data: "data", ranging: "ranging" };

/** One direction of the link; `tuned`: its published channel and the frequency at the antenna now, when published
 * (shiftedFrequency), else the band's frequency as the link gives it. */
function linkRow(label: string, arrow: string, link: Link | null, tuned = ""): HTMLElement[] {
  if (!link || (!link.band && !link.data_rate_bps)) return [];
  const off = link.signal === "none";
  return [
    h("dt", {}, `${arrow} ${label}`),
    h("dd", { class: off ? "off" : "" },
      h("span", { class: `band ${bandClass(link.band)}` }, known(link.band, "band unknown")),
      link.data_rate_bps ? ` ${dataRate(link.data_rate_bps)}` : "",
      link.signal ? h("span", { class: "signal" }, ` ${SIGNAL_TEXT[link.signal] ?? link.signal}`) : "",
      tuned ? h("span", { class: "freq tuned", "data-direction": label.toLowerCase() }, tuned)
        : link.frequency_hz ? h("span", { class: "freq" }, ` ${frequency(link.frequency_hz)}`) : ""),
  ];
}

function rangeText(a: AntennaState): string {
  const up = a.upleg_range_km;
  const down = a.downleg_range_km;
  // Up- and downleg differ by the distance the spacecraft moves in one light time: shown when it shows.
  if (up != null && down != null && rangeKm(up) !== rangeKm(down)) return `${rangeKm(down)} down · ${rangeKm(up)} up`;
  return rangeKm(down ?? up);
}

/** Refresh the countdowns in place each second without rebuilding cards. */
export function tickCountdowns(root: HTMLElement, nowMs: number): void {
  for (const el of root.querySelectorAll<HTMLElement>(".countdown[data-start]")) {
    el.textContent = countdown(Date.parse(el.dataset.start!), nowMs);
  }
}
