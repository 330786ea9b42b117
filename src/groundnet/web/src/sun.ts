// Where the Sun stands at the zenith, for drawing day and night on the map.
// Low-precision solar coordinates (Astronomical Almanac, "Sun" section: about 0.01° in
// 1950-2050), with Greenwich mean sidereal time from IAU 1982; far finer than one map pixel.

const DEG = Math.PI / 180;

export function subsolarPoint(ms: number): { latitude_deg: number; longitude_deg: number } {
  const d = ms / 86_400_000 - 10_957.5; // days since J2000.0 (2000-01-01T12:00Z)
  const meanLongitude = (280.46 + 0.9856474 * d) % 360;
  const meanAnomaly = ((357.528 + 0.9856003 * d) % 360) * DEG;
  const eclipticLongitude = (meanLongitude + 1.915 * Math.sin(meanAnomaly) + 0.02 * Math.sin(2 * meanAnomaly)) * DEG;
  const obliquity = (23.439 - 0.0000004 * d) * DEG;
  const rightAscension = Math.atan2(Math.cos(obliquity) * Math.sin(eclipticLongitude), Math.cos(eclipticLongitude));
  const declination = Math.asin(Math.sin(obliquity) * Math.sin(eclipticLongitude));
  const gmstDeg = 280.46061837 + 360.98564736629 * d;
  let longitude = (rightAscension / DEG - gmstDeg) % 360;
  if (longitude < -180) longitude += 360;
  if (longitude > 180) longitude -= 360;
  return { latitude_deg: declination / DEG, longitude_deg: longitude };
}
