// The smaller panels: active links, the network summary, the partner network, the event log.
// Each draws what it is given; main.ts decides when.
import { activityRank, renderCard } from "./cards";
import { h } from "./dom";
import { ACTIVITY_LABEL, dataRate, dateTime, duration, known, zoneLabel } from "./format";
import { bandClass } from "./map";
import type { Board, GroundEvent, PartnerFeed, PlanVersion } from "./contract";

const ACTIVITIES = ["tracking", "setup", "teardown", "maintenance", "outage", "idle"];

export function renderLinks(list: HTMLElement, board: Board, onStation: (id: string) => void): void {
  const items: HTMLElement[] = [];
  for (const a of board.antennas) {
    for (const t of a.targets) {
      const parts: (HTMLElement | string)[] = [];
      for (const [arrow, link] of [["↓", a.downlink], ["↑", a.uplink]] as const) {
        if (!link || link.signal === "none") continue;
        parts.push(h("span", { class: `band ${bandClass(link.band)}` }, `${arrow} ${known(link.band, "band unknown")}`), link.data_rate_bps ? ` ${dataRate(link.data_rate_bps)} ` : " ");
      }
      items.push(
        h("li", { class: `act-${a.activity}` },
          h("button", { type: "button", class: "linkish", onclick: () => onStation(a.id), "aria-label": `${a.id} with ${t.name}` },
            h("span", { class: "dot" }), h("strong", {}, a.id), " ⟷ ", t.name),
          h("span", { class: "link-meta" }, ...(parts.length ? parts : [ACTIVITY_LABEL[a.activity] ?? a.activity]))),
      );
    }
  }
  list.replaceChildren(...(items.length ? items : [h("li", { class: "muted" }, "No antenna is in contact at this moment.")]));
}

export function renderSummary(el: HTMLElement, board: Board): void {
  const counts = new Map<string, number>();
  for (const a of board.antennas) counts.set(a.activity, (counts.get(a.activity) ?? 0) + 1);
  const aboveHorizon = board.spacecraft.filter((sc) => sc.in_view_of.length).length;
  el.replaceChildren(
    h("ul", { class: "chips" },
      ...ACTIVITIES.map((k) => h("li", { class: `chip act-${k}` }, h("span", { class: "dot" }), `${counts.get(k) ?? 0} ${ACTIVITY_LABEL[k].toLowerCase()}`))),
    h("p", { class: "muted" }, `${board.antennas.length} antennas · ${board.spacecraft.length} spacecraft, ${aboveHorizon} above a station's horizon`),
  );
  const impact = impactText(board.plan);
  if (impact) el.append(h("p", { class: "impact", role: "note" }, impact));
}

/** "Re-plan after the outage of CEB: 2 contacts cancelled, 1 added; MEX loses 1.5 h." */
export function impactText(plan: PlanVersion | undefined): string | null {
  const impact = plan?.impact;
  if (plan?.reason !== "replan" || !impact) return null;
  const losses = Object.entries(impact.missions ?? {})
    .filter(([, m]) => (m.hours_lost ?? 0) > 0 || (m.requests_dropped?.length ?? 0) > 0)
    .map(([name, m]) => `${name} loses ${(m.hours_lost ?? 0).toFixed(1)} h${m.requests_dropped?.length ? ` (${m.requests_dropped.length} requests dropped)` : ""}`);
  return `Re-plan after the outage of ${impact.antenna_id ?? "an antenna"}: ${impact.cancelled?.length ?? 0} contacts cancelled, ${impact.added?.length ?? 0} added${losses.length ? `; ${losses.join(", ")}` : ""}.`;
}

function feedTime(feed: PartnerFeed): string {
  return feed.time ? `${dateTime(feed.time)} ${zoneLabel(Date.parse(feed.time))}` : "unknown time";
}

export function renderPartnerSummary(el: HTMLElement, feed: PartnerFeed | null): void {
  if (!feed) {
    el.replaceChildren(h("p", { class: "muted" }, "No partner feed imported."));
    return;
  }
  const active = feed.antennas.filter((a) => a.targets.length);
  el.replaceChildren(
    h("p", { class: "muted" }, `Feed of ${feedTime(feed)} · ${active.length} of ${feed.antennas.length} dishes in contact`),
    h("ul", { class: "links compact" }, ...active.slice(0, 6).map((a) => h("li", {}, h("strong", {}, a.id), ` ⟷ ${a.targets.map((t) => t.name).join(", ")}`))),
    h("a", { href: "?view=partners", "data-view": "partners", class: "more" }, "All partner dishes →"),
  );
}

export function renderPartners(meta: HTMLElement, container: HTMLElement, feed: PartnerFeed | null, nowMs: number): void {
  if (!feed) {
    meta.textContent = "No partner feed imported (groundnet serve --partner-dsn FILE|URL imports NASA's DSN Now feed, " +
      "--partner-ssf FILE|URL a partner's CCSDS Simple Schedule).";
    container.replaceChildren();
    return;
  }
  const age = feed.time ? nowMs - Date.parse(feed.time) : NaN;
  const old = Number.isFinite(age) && age > 3600_000 ? ` (${duration(age / 1000)} before the time shown)` : "";
  meta.textContent = `Imported partner feeds (DSN Now, CCSDS Simple Schedule) · ${feedTime(feed)}${old} · ${feed.antennas.length} dishes`;
  const sorted = [...feed.antennas].sort((a, b) => activityRank(a) - activityRank(b) || a.id.localeCompare(b.id));
  container.replaceChildren(...sorted.map((a) => renderCard(a, { nowMs, selected: false, partner: true })));
}

/** Newest first; in replay, only what had happened by the moment shown. */
export function renderEvents(tbody: HTMLElement, events: GroundEvent[], antenna: string, untilMs: number | null): void {
  const rows = events
    .filter((e) => !antenna || e.antenna_id === antenna)
    .filter((e) => untilMs == null || Date.parse(e.time) <= untilMs)
    .slice(-300)
    .reverse()
    .map((e) =>
      h("tr", { class: `ev-${e.kind}`, "data-event-id": e.event_id },
        h("td", { class: "num" }, dateTime(e.time, true)),
        h("td", {}, e.antenna_id),
        h("td", {}, known(e.spacecraft_id, "no spacecraft")),
        h("td", {}, h("span", { class: `evkind ev-${e.kind}` }, e.kind.replace(/_/g, " "))),
        h("td", { class: "detail" }, formatDetail(e.detail))),
    );
  tbody.replaceChildren(...(rows.length ? rows : [h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No station event yet: stations report AOS, LOS and outages as they work (groundnet agent), or the service simulates them (serve --simulate)."))]));
}

function detailValue(v: unknown): string {
  if (v == null) return "unknown";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "unknown";
  if (typeof v === "object") return JSON.stringify(v);
  return known(String(v));
}

function formatDetail(detail: unknown): string {
  if (detail == null || detail === "") return "";
  if (typeof detail === "string") return detail;
  if (typeof detail === "object") {
    return Object.entries(detail as Record<string, unknown>).map(([k, v]) => `${k}: ${detailValue(v)}`).join(" · ");
  }
  return String(detail);
}
