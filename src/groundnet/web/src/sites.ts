// Antennas grouped into sites (Madrid's DSS antennas, Kiruna's two dishes) for the map's labels.
import type { AntennaState } from "./contract";

/** The place name in an antenna's name: "Kiruna KIR-1 (...)" → "Kiruna", "DSS-14 70-m Goldstone (GDSCC)" → "Goldstone". */
export function siteName(a: { id: string; name: string }): string {
  const beforeParen = a.name.split("(")[0].trim();
  const words = beforeParen.split(/\s+/);
  const lead: string[] = [];
  for (const w of words) {
    if (/\d/.test(w) || w === a.id) break;
    lead.push(w);
  }
  if (lead.length) return lead.join(" ");
  const tail = words.filter((w) => !/\d/.test(w));
  return tail.length ? tail[tail.length - 1] : a.id;
}

export interface Site {
  name: string;
  latitude_deg: number;
  longitude_deg: number;
  antennas: AntennaState[];
}

export function groupSites(antennas: AntennaState[]): Site[] {
  const byName = new Map<string, Site>();
  for (const a of antennas) {
    const name = siteName(a);
    let site = byName.get(name);
    if (!site) {
      site = { name, latitude_deg: 0, longitude_deg: 0, antennas: [] };
      byName.set(name, site);
    }
    site.antennas.push(a);
  }
  for (const site of byName.values()) {
    site.latitude_deg = site.antennas.reduce((s, a) => s + a.latitude_deg, 0) / site.antennas.length;
    site.longitude_deg = site.antennas.reduce((s, a) => s + a.longitude_deg, 0) / site.antennas.length;
  }
  return [...byName.values()];
}
