/**
 * Which Airflow version the server runs, and which optional parameters it therefore knows.
 * A 2.x server answers 400 "Extra query parameter(s) ... not in spec" to any query parameter it
 * does not know (connexion strict validation), so parameters newer than the server must not go out.
 */
import { AirflowInputError } from "./errors.js";
import type { LineContext } from "./wire/line.js";

/** A parsed `major.minor.patch`; pre-release and build suffixes are ignored. */
export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return match ? [+match[1]!, +match[2]!, +(match[3] ?? 0)] : undefined;
}

export function versionAtLeast(version: Version, since: string): boolean {
  const wanted = parseVersion(since);
  const i = wanted ? version.findIndex((part, k) => part !== wanted[k]) : -1;
  return i < 0 || version[i]! > wanted![i]!;
}

/**
 * Drops the parameters the server is too old for: a parameter the caller asked for explicitly is
 * refused with an error naming the version that added it; one in `addedByClient` is left out
 * quietly. Asks the server's version only when a parameter needs it (and only then drops the
 * undefined ones too; openapi-fetch leaves undefined query values out anyway).
 */
export async function gateParameters<T extends Record<string, unknown>>(
  core: LineContext,
  params: T,
  since: Readonly<Record<string, string>>,
  signal?: AbortSignal,
  addedByClient: readonly string[] = [],
): Promise<T> {
  if (!Object.keys(params).some((name) => name in since)) return params;
  const server = await core.serverVersion(signal);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    const needed = since[name];
    if (needed && !versionAtLeast(server.parsed, needed)) {
      if (value !== undefined && !addedByClient.includes(name)) {
        throw new AirflowInputError(name, `needs Airflow ${needed}; the server runs ${server.text} and would answer 400`);
      }
    } else if (value !== undefined) out[name] = value;
  }
  return out as T;
}
