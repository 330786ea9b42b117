// The element-age badge: how old the orbit a prediction comes from is. SGP4 from a days-old element
// set drifts by kilometres; a trajectory (SPK, OEM, a planet's ephemeris) has no such age. The limit
// past which the badge warns is the service's (GET /api/v1/display, `element_age_limit_days`): the one
// `groundnet passes` warns past (by orbit class: LEO 7 d, MEO and HEO 14 d, GEO 30 d).
import type { SpacecraftInfo } from "./contract";
import { h } from "./dom";
import { duration } from "./format";

const limits = new Map<string, number>();
const epochs = new Map<string, string>();

/** The service's element-age limit per spacecraft (days). */
export function learnAgeLimits(byId: Record<string, number>): void {
  limits.clear();
  for (const [id, days] of Object.entries(byId)) if (Number.isFinite(days)) limits.set(id, days);
}

/** The element-set epochs of the fleet (GET /api/v1/spacecraft). */
export function learnFleet(list: SpacecraftInfo[]): void {
  epochs.clear();
  for (const sc of list) if (sc.elements_epoch) epochs.set(sc.id, sc.elements_epoch);
}

export function ageLimitDays(id: string): number | null {
  return limits.get(id) ?? null;
}

/** The badge for an element set's age in days, or a trajectory's note when there is none. */
export function ageBadge(ageDays: number | null | undefined, limitDays: number | null, trajectory = "trajectory"): HTMLElement {
  if (ageDays == null || !Number.isFinite(ageDays)) {
    return h("span", { class: "age-badge none", title: "Positions from a trajectory, not from an element set" }, trajectory);
  }
  const stale = limitDays != null && Math.abs(ageDays) > limitDays;
  const text = ageDays >= 0 ? `elements ${duration(ageDays * 86400)} old` : `elements ${duration(-ageDays * 86400)} ahead`;
  const title = stale
    ? `Past the ${limitDays} d limit for this orbit (the one groundnet passes warns past): predictions drift by kilometres a day; fetch fresh elements`
    : limitDays != null ? `Age of the element set the predictions use (limit for this orbit: ${limitDays} d)`
      : "Age of the element set the predictions use";
  return h("span", { class: `age-badge ${stale ? "stale" : "ok"}`, title, "data-age-days": ageDays.toFixed(2) }, text);
}

/** Days from an epoch (ISO 8601) to a moment (ms); null when there is no epoch. */
export function ageDays(epoch: string | null | undefined, nowMs: number): number | null {
  const ms = epoch ? Date.parse(epoch) : NaN;
  return Number.isFinite(ms) ? (nowMs - ms) / 86400_000 : null;
}

/** A spacecraft's element age at a moment when it is past its limit, else null (fresh, a trajectory, unknown). */
export function staleElements(id: string, nowMs: number): { days: number; limit: number } | null {
  const days = ageDays(epochs.get(id), nowMs);
  const limit = limits.get(id);
  return days != null && limit != null && Math.abs(days) > limit ? { days, limit } : null;
}

/** "elements 91 d 4 h old, past the 7 d limit": a stale marker's tooltip. */
export function staleText(age: { days: number; limit: number }): string {
  return `elements ${duration(Math.abs(age.days) * 86400)} ${age.days >= 0 ? "old" : "ahead"}, past the ${age.limit} d limit: positions drift`;
}

/** The badge of a spacecraft whose elements are past their limit at a moment (station cards), else null. */
export function staleBadge(id: string, nowMs: number): HTMLElement | null {
  const age = staleElements(id, nowMs);
  return age ? ageBadge(age.days, age.limit) : null;
}
