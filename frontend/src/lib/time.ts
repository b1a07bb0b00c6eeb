// Timestamps from DIUN and the server: RFC 3339 with 0–9 fractional digits and any offset.
// Parsed by hand because Date.parse only promises the 3-digit ISO form.

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** Milliseconds since the Unix epoch, or null when the text is not a timestamp. No offset means UTC. */
export function parseTimestamp(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = RFC3339.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const date = new Date(0);
  // setUTCFullYear, because Date.UTC maps years 0–99 to 1900–1999 (year 1 is a DIUN sentinel).
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), frac ? Number(frac.padEnd(3, "0").slice(0, 3)) : 0);
  let ms = date.getTime();
  if (sign) ms -= (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The image build time, or null for "unknown": missing, unparsable, Go's zero time
 * (`0001-01-01T00:00:00Z`) or the epoch used by reproducible builds (`1970-01-01T00:00:00Z`/`:01Z`).
 */
export function parseBuildTime(created: string | null | undefined): number | null {
  const ms = parseTimestamp(created);
  if (ms === null) return null;
  if (new Date(ms).getUTCFullYear() <= 1) return null;
  if (ms >= 0 && ms <= 1000) return null;
  return ms;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "2 days ago", then the date. */
export function formatRelative(ms: number, now: number): string {
  const diff = now - ms;
  if (diff < 45_000) return "just now";
  if (diff < HOUR) return `${Math.max(1, Math.round(diff / MINUTE))} min ago`;
  if (diff < DAY) return `${Math.round(diff / HOUR)} h ago`;
  const days = Math.floor(diff / DAY);
  if (days < 30) return days === 1 ? "1 day ago" : `${days} days ago`;
  return formatDate(ms);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const exactFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "long" });

export const formatDate = (ms: number): string => dateFormat.format(ms);
/** Full local date and time with the zone, for titles. */
export const formatExact = (ms: number): string => exactFormat.format(ms);
/** Canonical UTC form for `<time dateTime>`. */
export const toIso = (ms: number): string => new Date(ms).toISOString();
