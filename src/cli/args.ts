/** Parsers for flag and argument values; each refusal is commander's InvalidArgumentError (exit 1). */
import { InvalidArgumentError } from "commander";

export function parseMapIndex(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError("must be an integer: -1 (unmapped) or an index >= 0.");
  const index = Number(value);
  if (index < -1 || !Number.isSafeInteger(index)) throw new InvalidArgumentError("must be -1 (unmapped) or an index >= 0.");
  return index;
}

export function parsePositiveInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError("must be a positive integer.");
  }
  return Number(value);
}

export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > 2_147_483) {
    throw new InvalidArgumentError("must be a positive number of seconds.");
  }
  return seconds;
}

/** For repeatable flags that also take comma lists: `--state failed --state up_for_retry,running`. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value.split(",").map((item) => item.trim()).filter((item) => item !== "");
  if (items.length === 0) throw new InvalidArgumentError("must not be empty.");
  return [...(previous ?? []), ...items];
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?:\d+(?:\.\d+)?[smhdw])+$/i;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Milliseconds of a duration like 90s, 15m, 24h, 7d, 2w or 1h30m; undefined if it is not one. */
export function parseDuration(value: string): number | undefined {
  const text = value.trim();
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)([smhdw])/gi)) total += Number(amount) * UNIT_MS[unit!.toLowerCase()]!;
  return total;
}

/** A duration flag (--max-wait 10m): milliseconds, at most what a timer can wait (24 days). */
export function parseWait(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0 || ms > 2_147_483_647) throw new InvalidArgumentError("must be a duration like 90s, 10m, 1h or 1h30m.");
  return ms;
}

/**
 * A point in time for --since/--until: an ISO 8601 date-time with an offset (kept as given), or a
 * duration meaning that long before `now` (sent as UTC). Naive date-times are refused, as Airflow does.
 */
export function parseMoment(value: string, now: () => number = Date.now): string {
  const duration = parseDuration(value);
  if (duration !== undefined) return new Date(now() - duration).toISOString();
  const text = value.trim();
  if (ISO_WITH_OFFSET.test(text) && !Number.isNaN(Date.parse(text))) return text;
  throw new InvalidArgumentError(
    "must be an ISO 8601 date-time with an offset (2024-01-01T00:00:00Z, 2024-01-01T02:00:00+02:00) or a duration before now (90m, 24h, 7d, 1h30m).",
  );
}
