import { formatExact, formatRelative, toIso } from "../lib/time";

/** "5 min ago", with the exact local time on hover. */
export function RelativeTime({ ms, now }: { ms: number; now: number }) {
  return (
    <time dateTime={toIso(ms)} title={formatExact(ms)}>
      {formatRelative(ms, now)}
    </time>
  );
}
