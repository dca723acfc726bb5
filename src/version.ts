/**
 * Which Airflow version the server runs, and which optional parameters it therefore knows.
 * A 2.x server answers 400 "Extra query parameter(s) ... not in spec" to any query parameter it
 * does not know (connexion strict validation), so parameters newer than the server must not go out.
 */
import { AirflowInputError } from "./errors.js";

/** A parsed `major.minor.patch`; pre-release and build suffixes are ignored. */
export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function versionAtLeast(version: Version, since: string): boolean {
  const wanted = parseVersion(since);
  if (!wanted) return true;
  for (let i = 0; i < 3; i += 1) {
    if (version[i]! !== wanted[i]!) return version[i]! > wanted[i]!;
  }
  return true;
}

/**
 * Drops parameters the server is too old for. A parameter the caller asked for explicitly is
 * refused with an error naming the version that added it; one the client added on its own is
 * left out quietly.
 */
export function gateParameters<T extends Record<string, unknown>>(
  params: T,
  since: Readonly<Record<string, string>>,
  server: Version,
  serverText: string,
  addedByClient: ReadonlySet<string> = new Set(),
): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const needed = since[name];
    if (needed !== undefined && !versionAtLeast(server, needed)) {
      if (addedByClient.has(name)) continue;
      throw new AirflowInputError(
        name,
        `this filter was added in Airflow ${needed}; the server runs ${serverText} and would answer 400`,
      );
    }
    out[name] = value;
  }
  return out as T;
}
