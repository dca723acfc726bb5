/** Parsers for flag and argument values; each refusal is commander's InvalidArgumentError (exit 1). */
import { InvalidArgumentError } from "commander";
import { AirflowInputError, SETTABLE_STATES, TASK_STATES } from "../index.js";
import { checkDate } from "../validate.js";

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

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest of `choices` to a misspelt `value` ("faild" → "failed", "retry" → "up_for_retry"), if one is close. */
export function didYouMean(value: string, choices: readonly string[]): string | undefined {
  const text = value.toLowerCase().replace(/[\s-]+/g, "_");
  if (choices.includes(text)) return text;
  let best: { choice: string; distance: number } | undefined;
  for (const choice of choices) {
    const distance = choice.includes(text) && text.length >= 3 ? 1 : editDistance(text, choice);
    if (!best || distance < best.distance) best = { choice, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(text.length / 3)) ? best.choice : undefined;
}

function checkChoice(value: string, choices: readonly string[], what: string): string {
  if (choices.includes(value)) return value;
  const guess = didYouMean(value, choices);
  throw new InvalidArgumentError(`"${value}" is not ${what}${guess ? `; did you mean "${guess}"?` : "."} Valid: ${choices.join(", ")}.`);
}

/** `--state`: repeatable and comma-listed task states, each checked, with a "did you mean" for a misspelt one. */
export function collectStates(value: string, previous: string[] | undefined): string[] {
  return collectList(value, previous).map((state, i) => (i < (previous?.length ?? 0) ? state : checkChoice(state, TASK_STATES, "a task state")));
}

/** `set-state <state>`: one of the states Airflow lets a person set. */
export function parseSettableState(value: string): string {
  return checkChoice(value, SETTABLE_STATES, "a state set-state can set");
}

/** `--min-duration`: a duration (90s, 10m, 1h30m) or a number of seconds; returned in seconds. */
export function parseMinDuration(value: string): number {
  const text = value.trim();
  const seconds = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : (parseDuration(text) ?? NaN) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError("must be a duration like 90s, 10m or 1h30m, or a number of seconds.");
  return seconds;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?:\d+(?:\.\d+)?[smhdw])+$/i;

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
  // The library's own date check (validate.ts), so the CLI accepts exactly what the client sends.
  // Its regex (ISO_WITH_OFFSET) is not exported; checkDate is.
  try {
    return checkDate("date", text);
  } catch (error) {
    if (!(error instanceof AirflowInputError)) throw error;
  }
  throw new InvalidArgumentError(
    "must be an ISO 8601 date-time with an offset (2024-01-01T00:00:00Z, 2024-01-01T02:00:00+02:00) or a duration before now (90m, 24h, 7d, 1h30m).",
  );
}
