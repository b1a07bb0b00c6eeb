import { describe, expect, it } from "vitest";
import { formatRelative, parseBuildTime, parseTimestamp } from "./time";

const utc = (iso: string) => new Date(iso).getTime();

describe("parseTimestamp", () => {
  it.each([
    ["2020-03-26T12:23:56Z", "2020-03-26T12:23:56.000Z"],
    ["2024-11-02T18:44:09.5Z", "2024-11-02T18:44:09.500Z"],
    ["2019-01-24T10:26:49.152006005Z", "2019-01-24T10:26:49.152Z"],
    ["2025-05-13T21:05:42.184297512Z", "2025-05-13T21:05:42.184Z"],
    ["2023-05-01T10:00:00.12+02:00", "2023-05-01T08:00:00.120Z"],
    ["2023-05-01T10:00:00-05:30", "2023-05-01T15:30:00.000Z"],
    ["2023-05-01t10:00:00z", "2023-05-01T10:00:00.000Z"],
    ["2023-05-01T10:00:00.1234+0100", "2023-05-01T09:00:00.123Z"],
    // SQLite's datetime('now'), as the original stored acknowledged_at: UTC without an offset.
    ["2024-02-03 04:05:06", "2024-02-03T04:05:06.000Z"],
  ])("%s", (text, iso) => {
    expect(parseTimestamp(text)).toBe(utc(iso));
  });

  it.each([[""], [null], [undefined], ["yesterday"], ["2024-13"], ["2024-01-01T00:00:00.1234567890Z"]])("rejects %s", (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });

  it("handles year 1 without the two-digit-year trap", () => {
    expect(new Date(parseTimestamp("0001-01-01T00:00:00Z")!).getUTCFullYear()).toBe(1);
  });
});

describe("parseBuildTime", () => {
  it.each([[null], ["0001-01-01T00:00:00Z"], ["1970-01-01T00:00:00Z"], ["1970-01-01T00:00:01Z"], ["1970-01-01T00:00:00.000000000Z"], ["1970-01-01T01:00:00+01:00"], ["not a date"]])(
    "%s is unknown",
    (created) => {
      expect(parseBuildTime(created)).toBeNull();
    },
  );

  it("keeps real build times, with any fraction and offset", () => {
    expect(parseBuildTime("2025-04-23T16:02:31.846377055Z")).toBe(utc("2025-04-23T16:02:31.846Z"));
    expect(parseBuildTime("2023-05-01T10:00:00.12+02:00")).toBe(utc("2023-05-01T08:00:00.120Z"));
    expect(parseBuildTime("1970-01-01T00:00:02Z")).toBe(2000);
  });
});

describe("formatRelative", () => {
  const now = utc("2026-01-10T12:00:00Z");
  it.each([
    ["2026-01-10T11:59:30Z", "just now"],
    ["2026-01-10T12:00:30Z", "just now"],
    ["2026-01-10T11:59:00Z", "1 min ago"],
    ["2026-01-10T11:55:00Z", "5 min ago"],
    ["2026-01-10T09:00:00Z", "3 h ago"],
    ["2026-01-09T11:00:00Z", "1 day ago"],
    ["2026-01-01T12:00:00Z", "9 days ago"],
  ])("%s → %s", (iso, text) => {
    expect(formatRelative(utc(iso), now)).toBe(text);
  });

  it("falls back to the date after a month", () => {
    expect(formatRelative(utc("2025-10-01T12:00:00Z"), now)).toMatch(/2025/);
  });
});
