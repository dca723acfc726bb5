/**
 * Contract: the log endpoint. v1's Python-repr `content` and its Accept negotiation, v2's
 * structured records, continuation tokens (signed, resumable, refused when forged), the 404s, and
 * following a log while the task runs. Same assertions on the fake and on the real server of each line.
 */
import { decodeLogToken } from "../../src/index";
import { stripSourceDetails } from "../../src/logs/source-details";
import { parseLogContent } from "../support/python-repr";
import { forEachBackend, runPath } from "./backends";
import { FIXTURE_RUN } from "./fixture";
import { logToken } from "../support/log-token";

const TI = `${runPath(FIXTURE_RUN.dag_id, FIXTURE_RUN.dag_run_id)}/taskInstances`;

forEachBackend("logs", (use, line) => {
  if (line() === "v1") {
    test("v1 JSON: content is the repr of [(host, text)], the token says end_of_log and log_pos", async () => {
      const answer = await use().call(`${TI}/flaky/logs/2`);
      expect([answer.status, answer.contentType]).toEqual([200, "application/json"]);
      expect(Object.keys(answer.body).sort()).toEqual(["content", "continuation_token"]);
      const blocks = parseLogContent(answer.body.content);
      expect(blocks).toHaveLength(1);
      const text = blocks[0]!.text;
      // The source notes come first, as a group since 2.10.4; log_pos counts only what follows them.
      expect(text).toMatch(/^ INFO - ::group::Log message source details\n\*\*\* Found local files:\n/);
      expect(text).toContain("flaky: succeeded on try 2");
      const payload = await decodeLogToken(answer.body.continuation_token);
      expect(payload.end_of_log).toBe(true);
      expect(payload.log_pos).toBe([...stripSourceDetails(text)].length);
    });

    test("v1: reading on with the token of a finished try gives no new text and the same position", async () => {
      const b = use();
      const first = await b.call(`${TI}/flaky/logs/2`);
      const again = await b.call(`${TI}/flaky/logs/2?token=${encodeURIComponent(first.body.continuation_token)}`);
      expect(again.status).toBe(200);
      expect(parseLogContent(again.body.content).map((block) => block.text)).toEqual([""]);
      expect(await decodeLogToken(again.body.continuation_token)).toEqual(await decodeLogToken(first.body.continuation_token));
    });

    test("v1: Accept */* and axios' default get text/plain (werkzeug favours it on a tie); a q-value can pick JSON", async () => {
      const b = use();
      for (const accept of ["*/*", "application/json, text/plain, */*"]) {
        const answer = await b.call(`${TI}/flaky/logs/2`, { headers: { Accept: accept } });
        expect(answer.contentType).toBe("text/plain");
        expect(answer.text).toMatch(/^[^\n]*\n INFO - ::group::Log message source details\n/);
        expect(answer.text).toContain("flaky: succeeded on try 2");
      }
      const json = await b.call(`${TI}/flaky/logs/2`, { headers: { Accept: "application/json;q=0.9, text/plain;q=0.8" } });
      expect(json.contentType).toBe("application/json");
    });

    test("v1: try 0 is refused inside a 200 answer", async () => {
      const answer = await use().call(`${TI}/flaky/logs/0`);
      expect(answer.status).toBe(200);
      expect(parseLogContent(answer.body.content)).toEqual([{ host: "default_host", text: "Error fetching the logs. Try number 0 is invalid." }]);
      expect(await decodeLogToken(answer.body.continuation_token)).toEqual({ end_of_log: true, log_pos: undefined });
    });
  } else {
    test("v2 JSON: content is a list of records after the source-details group; the token is null at the end", async () => {
      const answer = await use().call(`${TI}/flaky/logs/2`);
      expect([answer.status, answer.contentType]).toEqual([200, "application/json"]);
      expect(Object.keys(answer.body).sort()).toEqual(["content", "continuation_token"]);
      const records = answer.body.content as Array<{ event: string; timestamp?: string }>;
      expect(records[0]).toEqual({ event: "::group::Log message source details" });
      expect(records[1]!.event).toMatch(/attempt=2\.log$/);
      expect(records[2]).toEqual({ event: "::endgroup::" });
      expect(records.every((record) => typeof record.event === "string")).toBe(true);
      expect(records.some((record) => record.event.includes("flaky: succeeded on try 2") && typeof record.timestamp === "string")).toBe(true);
      expect(answer.body.continuation_token).toBeNull();
    });

    test("v2: Accept text/plain is a 406", async () => {
      const answer = await use().call(`${TI}/flaky/logs/2`, { headers: { Accept: "text/plain" } });
      expect(answer.status).toBe(406);
      expect(answer.body).toEqual({ detail: "Only application/json or application/x-ndjson is supported" });
    });

    test("v2: NDJSON is one record per line, the header records with a null timestamp", async () => {
      const answer = await use().call(`${TI}/flaky/logs/2`, { headers: { Accept: "application/x-ndjson" } });
      expect(answer.contentType).toBe("application/x-ndjson");
      const records = answer.text.trim().split("\n").map((lineText) => JSON.parse(lineText));
      expect(records[0]).toEqual({ timestamp: null, event: "::group::Log message source details" });
      expect(records.some((record) => String(record.event).includes("flaky: succeeded on try 2"))).toBe(true);
    });

    test("v2: try 0 and a try beyond the last are 404s", async () => {
      const b = use();
      for (const n of [0, 3]) {
        const answer = await b.call(`${TI}/flaky/logs/${n}`);
        expect([answer.status, answer.body]).toEqual([404, { detail: "TaskInstance not found" }]);
      }
    });
  }

  test("a mapped task's log without map_index is a 404; with it, its own log", async () => {
    const b = use();
    const without = await b.call(`${TI}/square/logs/1`);
    expect(without.status).toBe(404);
    if (line() === "v1") expect(without.body).toMatchObject({ title: "TaskInstance not found", detail: null });
    else expect(without.body).toEqual({ detail: "TaskInstance not found" });
    const withIndex = await b.call(`${TI}/square/logs/1?map_index=1`);
    expect(withIndex.status).toBe(200);
    expect(JSON.stringify(withIndex.body.content)).toContain("map_index=1");
  });

  test("a forged token is refused with Bad Signature", async () => {
    const b = use();
    const forged = logToken(false, 0, "bm90LWEtc2lnbmF0dXJl");
    for (const token of ["not-a-token", forged]) {
      const answer = await b.call(`${TI}/flaky/logs/2?token=${encodeURIComponent(token)}`);
      expect(answer.status).toBe(400);
      if (line() === "v1") expect(answer.body).toMatchObject({ title: "Bad Signature. Please use only the tokens provided by the API.", detail: null });
      else expect(answer.body).toEqual({ detail: "Bad Signature. Please use only the tokens provided by the API." });
    }
  });

  test("the public client reads a whole log, the repr's hard characters intact", async () => {
    const text = await use().client().logs.read({ ...FIXTURE_RUN, task_id: "chatty" });
    expect(text).toContain("quote-test: it's a \"double\" and 'single' quote, back\\slash, tab[\t]");
    expect(text).toContain("unicode-test: Grüße, €, 日本語, emoji 🚀");
    expect(text).toContain("chatty 00001/15000");
  });

  test("a running try: the token says the log goes on, and following it yields every line once, in order", async () => {
    const b = use();
    const lines = 10;
    const ref = await b.slowRun(lines);
    const first = await b.call(`${runPath(ref.dag_id, ref.dag_run_id)}/taskInstances/${ref.task_id}/logs/1`);
    expect(first.status).toBe(200);
    const state = (await b.call(`${runPath(ref.dag_id, ref.dag_run_id)}/taskInstances/${ref.task_id}`)).body.state;
    if (state === "running") {
      // Still running after the read: the read saw a running try.
      if (line() === "v1") expect((await decodeLogToken(first.body.continuation_token)).end_of_log).toBe(false);
      else expect(typeof first.body.continuation_token).toBe("string");
    }
    const seen: number[] = [];
    // The numbered lines are all written before the try ends, so a short settle is enough.
    for await (const text of b.client().logs.lines(ref, { pollIntervalMs: 200, settleMs: 500 })) {
      const match = /slow line (\d+)\/(\d+)/.exec(text);
      if (match) {
        expect(Number(match[2])).toBe(lines);
        seen.push(Number(match[1]));
      }
    }
    expect(seen).toEqual(Array.from({ length: lines }, (_, i) => i + 1));
    expect((await b.client().taskInstances.get(ref)).state).toBe("success");
  });
});
