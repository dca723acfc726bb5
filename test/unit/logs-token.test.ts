import { deflateSync } from "node:zlib";
import { AirflowError } from "../../src/errors.js";
import { decodeLogToken } from "../../src/logs/token.js";
import { tokenOf } from "../support/log-token";

/**
 * Real tokens, made with itsdangerous 2.2.0 on CPython 3.11.7 the way Airflow's log endpoint makes
 * them: `URLSafeSerializer("example-secret").dumps(metadata)`. The ones starting with "." were
 * zlib-compressed by itsdangerous itself because that made them shorter.
 */
const ITSDANGEROUS_TOKENS: Array<[token: string, payload: Record<string, unknown>]> = [
  ["eyJlbmRfb2ZfbG9nIjp0cnVlLCJsb2dfcG9zIjoxNn0.XyOpq0U-TuapPInaKrfrMQtoH0w", { end_of_log: true, log_pos: 16 }],
  [
    "eyJlbmRfb2ZfbG9nIjpmYWxzZSwibG9nX3BvcyI6MCwiZG93bmxvYWRfbG9ncyI6ZmFsc2V9.E9CGKAh5ABmz1A9VDknW3ORT08Y",
    { end_of_log: false, log_pos: 0, download_logs: false },
  ],
  [
    "eyJlbmRfb2ZfbG9nIjp0cnVlLCJsb2dfcG9zIjoxNiwiZG93bmxvYWRfbG9ncyI6dHJ1ZX0.f7HThudYpowhYti00zoTd9Ass1w",
    { end_of_log: true, log_pos: 16, download_logs: true },
  ],
  [
    ".eJyrVkrJL8_LyU9Mic_JTy9WskpLzClO1VFKzUuJz08DicGFgOz4gnygElMjY5NaAGCWFBo.RUiRymoo0a4zNoQBfHpRnVrxRaA",
    { download_logs: false, end_of_log: false, log_pos: 5234 },
  ],
  [
    ".eJyrVkrJL8_LyU9Mic_JTy9WskpLzClO1VFKzUuJz08DicGFgOz4gnygElMjYxMdpbz8klQlK6XDe_IOr08-vC3l8EqFR3MmK3yYv6xFqRYAi_Ei0w.Y5Gem0tXem0VADR_LzMzZQMJeCA",
    { download_logs: false, end_of_log: false, log_pos: 5234, note: "ünïcödé ✓ 🦄" },
  ],
  [
    ".eJyrVkrNS4nPT4vPyU9XskpLzClO1VECsuML8ouVrAyNjE1MzXSUMvKLS4DcaKXy_KLs1CJdQyWd4caMrQUAXRpT5w.0_PUMctM2IEcx6mPwO9xQ0xOFEM",
    { end_of_log: false, log_pos: 123456, hosts: Array<string>(20).fill("worker-1") },
  ],
  ["eyJsb2dfcG9zIjo3fQ.EojrpkN_JoHjoOB7L6HawC3BMlQ", { log_pos: 7 }],
  ["e30.AIkgp00eUdawjO7XbmJi710nf_M", {}],
];

const FAKE_SIGNATURE = "c2lnbmF0dXJlLW5vdC1jaGVja2Vk";

function b64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString("base64url");
}

function compressedToken(json: string): string {
  return `.${b64url(deflateSync(Buffer.from(json, "utf8")))}.${FAKE_SIGNATURE}`;
}

async function rejectionOf(token: string): Promise<AirflowError> {
  try {
    await decodeLogToken(token);
  } catch (error) {
    expect(error).toBeInstanceOf(AirflowError);
    return error as AirflowError;
  }
  throw new Error(`expected decodeLogToken(${JSON.stringify(token)}) to reject`);
}

describe("decodeLogToken", () => {
  test.each(ITSDANGEROUS_TOKENS)("reads itsdangerous' %s", async (token, payload) => {
    expect(await decodeLogToken(token)).toStrictEqual({ end_of_log: undefined, log_pos: undefined, ...payload });
  });

  test("always has end_of_log and log_pos, undefined when the token lacks them", async () => {
    const payload = await decodeLogToken(tokenOf('{"offset":12,"last_log_timestamp":"2024-01-01T00:00:00+00:00"}'));
    expect(Object.keys(payload).sort()).toEqual(["end_of_log", "last_log_timestamp", "log_pos", "offset"]);
    expect(payload.end_of_log).toBeUndefined();
    expect(payload.log_pos).toBeUndefined();
    expect(payload["offset"]).toBe(12);
  });

  test("inflates a large compressed payload built with zlib", async () => {
    const lines = Array.from({ length: 2000 }, (_, k) => `worker-${k % 7}`);
    const json = JSON.stringify({ end_of_log: false, log_pos: 987654321, hosts: lines });
    const token = compressedToken(json);
    expect(token.length).toBeLessThan(json.length / 10);
    expect(await decodeLogToken(token)).toStrictEqual({ end_of_log: false, log_pos: 987654321, hosts: lines });
  });

  test("keeps a __proto__ key as data instead of changing the prototype", async () => {
    const payload = await decodeLogToken(tokenOf('{"__proto__":{"polluted":true},"log_pos":1}'));
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect((payload as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(payload.log_pos).toBe(1);
  });

  describe("rejects a malformed token with the reason", () => {
    test.each<[string, string, string]>([
      ["an empty token", "", "the token is empty"],
      ["no separator", "eyJsb2dfcG9zIjo3fQ", "it has no '.' before the signature"],
      ["only the compression dot", ".eJyrVkrJ", "it has no '.' before the signature"],
      ["an empty signature", "eyJsb2dfcG9zIjo3fQ.", "its signature is empty (at offset 19)"],
      ["an empty payload", ".sig", "it has no '.' before the signature"],
      ["an empty compressed payload", "..c2ln", "its payload is empty (at offset 1)"],
      ["padding", "e30=.c2ln", `its payload has "=" at offset 3, not base64url`],
      ["standard base64 in the signature", "e30.c2+n", `its signature has "+" at offset 6, not base64url`],
      ["a space", "e30 .c2ln", `its payload has " " at offset 3, not base64url`],
      ["an impossible length", "e30ab.c2ln", "its payload has 5 characters, not a base64url length (at offset 0)"],
      ["an extra part", "e30.e30.c2ln", `its payload has "." at offset 3, not base64url`],
    ])("%s", async (_name, token, reason) => {
      expect((await rejectionOf(token)).message).toBe(`Malformed Airflow log continuation token: ${reason}`);
    });

    test.each<[string, string, string]>([
      ["text that is not JSON", "not json", "its payload is not JSON: not json"],
      ["a JSON array", "[1,2]", "its payload is not a JSON object: [1,2]"],
      ["JSON null", "null", "its payload is not a JSON object: null"],
      ["a string end_of_log", '{"end_of_log":"yes"}', `its "end_of_log" is "yes", not a boolean`],
      ["a null end_of_log", '{"end_of_log":null}', `its "end_of_log" is null, not a boolean`],
      ["a negative log_pos", '{"log_pos":-1}', `its "log_pos" is -1, not a non-negative integer`],
      ["a fractional log_pos", '{"log_pos":1.5}', `its "log_pos" is 1.5, not a non-negative integer`],
      ["a string log_pos", '{"log_pos":"16"}', `its "log_pos" is "16", not a non-negative integer`],
      ["an overflowing log_pos", '{"log_pos":1e400}', `its "log_pos" is Infinity, not a non-negative integer`],
    ])("a payload of %s", async (_name, json, reason) => {
      expect((await rejectionOf(tokenOf(json))).message).toBe(`Malformed Airflow log continuation token: ${reason}`);
      expect((await rejectionOf(compressedToken(json))).message).toBe(`Malformed Airflow log continuation token: ${reason}`);
    });

    test("quotes at most 80 characters of a payload that is not JSON", async () => {
      const json = `{${"x".repeat(200)}`;
      expect((await rejectionOf(tokenOf(json))).message).toBe(
        `Malformed Airflow log continuation token: its payload is not JSON: {${"x".repeat(79)}...`,
      );
    });

    test("a payload that is not UTF-8", async () => {
      const error = await rejectionOf(`${b64url(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d))}.${FAKE_SIGNATURE}`);
      expect(error.message).toBe("Malformed Airflow log continuation token: its payload is not UTF-8 text");
      // Node's TextDecoder lives outside jest's sandbox, so compare by name, not by class.
      expect((error.cause as Error).name).toBe("TypeError");
    });

    test("a leading dot on a payload that is not zlib data", async () => {
      const error = await rejectionOf(`.e30.${FAKE_SIGNATURE}`);
      expect(error.message).toBe(
        "Malformed Airflow log continuation token: its payload is marked compressed (leading '.') but is not zlib data",
      );
      expect(error.cause).toBeDefined();
    });

    test("a compressed payload cut short", async () => {
      const full = deflateSync(Buffer.from(JSON.stringify({ log_pos: 1, hosts: Array(50).fill("worker") })));
      const error = await rejectionOf(`.${b64url(full.subarray(0, full.length - 6))}.${FAKE_SIGNATURE}`);
      expect(error.message).toBe(
        "Malformed Airflow log continuation token: its payload is marked compressed (leading '.') but is not zlib data",
      );
    });

    test("a compressed payload that inflates beyond 1 MiB", async () => {
      const bomb = `{"log_pos":1,"pad":"${" ".repeat(2 * 1024 * 1024)}"}`;
      const token = compressedToken(bomb);
      expect(token.length).toBeLessThan(5000);
      expect((await rejectionOf(token)).message).toBe(
        "Malformed Airflow log continuation token: its compressed payload inflates to more than 1048576 bytes",
      );
    });
  });
});
