// The element-age badge: how old the orbit a prediction comes from is. SGP4 from a days-old element
// set drifts by kilometres; a trajectory (SPK, OEM, a planet's ephemeris) has no such age.
import { h } from "./dom";
import { duration } from "./format";

/** Beyond this many days the badge warns; beyond the second it says the predictions are doubtful. */
export const AGE_WARN_DAYS = 7;
export const AGE_BAD_DAYS = 30;

/** The badge for an element set's age in days, or a trajectory's note when there is none. */
export function ageBadge(ageDays: number | null | undefined, trajectory = "trajectory"): HTMLElement {
  if (ageDays == null || !Number.isFinite(ageDays)) {
    return h("span", { class: "age-badge none", title: "Positions from a trajectory, not from an element set" }, trajectory);
  }
  const level = Math.abs(ageDays) >= AGE_BAD_DAYS ? "bad" : Math.abs(ageDays) >= AGE_WARN_DAYS ? "warn" : "ok";
  const text = ageDays >= 0 ? `elements ${duration(ageDays * 86400)} old` : `elements ${duration(-ageDays * 86400)} ahead`;
  const title = level === "ok" ? "Age of the element set the predictions use"
    : `The element set is ${level === "bad" ? "very " : ""}old: predictions drift by kilometres a day; fetch fresh elements`;
  return h("span", { class: `age-badge ${level}`, title, "data-age-days": ageDays.toFixed(2) }, text);
}

/** Days from an epoch (ISO 8601) to a moment (ms); null when there is no epoch. */
export function ageDays(epoch: string | null | undefined, nowMs: number): number | null {
  const ms = epoch ? Date.parse(epoch) : NaN;
  return Number.isFinite(ms) ? (nowMs - ms) / 86400_000 : null;
}
