/**
 * The log endpoint of each line: what a read of try N of an instance answers, with and without a
 * continuation token. The stored lines of a try are the log file; a string line is one line of
 * text, a record is one structured record (3.x).
 */
import { flaskJson, json, type AppResponse } from "./http.js";
import { pythonLogContent } from "./python-repr.js";
import type { Signer } from "./signing.js";
import type { StoredLine, TiRecord } from "./store.js";

/** Where the fake says it found a log, in the source-details notes. */
function logPath(ti: TiRecord, tryNumber: number): string {
  const mapped = ti.map_index >= 0 ? `/map_index=${ti.map_index}` : "";
  return `/opt/airflow/logs/dag_id=${ti.dag_id}/run_id=${ti.dag_run_id}/task_id=${ti.task_id}${mapped}/attempt=${tryNumber}.log`;
}

/**
 * file_task_handler.py: `end_of_log = ti.try_number != try_number or ti.state not in (RUNNING, DEFERRED)`
 * (airflow-server-facts.md section 7; 3.x keeps the rule).
 */
function endOfLog(ti: TiRecord, tryNumber: number): boolean {
  return ti.try_number !== tryNumber || (ti.state !== "running" && ti.state !== "deferred");
}

const lineText = (stored: StoredLine) => (typeof stored.line === "string" ? stored.line : stored.line.event);

/** Python slices by code point, and log_pos counts code points. */
const codePoints = (text: string) => Array.from(text);

// ---------------------------------------------------------------------------------------------
// 2.x: JSON `{content: <repr of [(host, text)]>, continuation_token}` or text/plain.

/**
 * Werkzeug's `MIMEAccept.best_match(["text/plain", "application/json"])`: the highest quality
 * wins, a more specific client entry beats a wildcard of the same quality, and a tie keeps the
 * first offer, text/plain. No Accept header: JSON. (log_endpoint.py; the table in
 * airflow-server-facts.md section 7: `*\/*` and axios' default both get text/plain.)
 */
export function v1WantsText(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === "") return false;
  const entries = accept.split(",").map((part) => {
    const [type = "", ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    const [major = "", minor = ""] = type.trim().toLowerCase().split("/");
    return { major, minor, quality: Number.isFinite(quality) ? quality : 0 };
  });
  let result: string | undefined;
  let bestQuality = -1;
  let bestSpecificity = -1;
  for (const offer of ["text/plain", "application/json"]) {
    const [major, minor] = offer.split("/");
    for (const entry of entries) {
      const specificity = (entry.major !== "*" ? 2 : 0) + (entry.minor !== "*" ? 1 : 0);
      if (entry.quality <= 0 || entry.quality < bestQuality) continue;
      if (entry.quality > bestQuality || specificity > bestSpecificity) {
        const matches = (entry.major === "*" || entry.major === major) && (entry.minor === "*" || entry.minor === minor);
        if (matches) {
          bestQuality = entry.quality;
          bestSpecificity = specificity;
          result = offer;
        }
      }
    }
  }
  return result === "text/plain";
}

/**
 * One 2.x log read. `from`: the token's log_pos (only new text, no source notes), or undefined
 * for a read from the start.
 */
export function v1LogAnswer(signer: Signer, ti: TiRecord, tryNumber: number, from: number | undefined, asText: boolean): AppResponse {
  if (tryNumber < 1) {
    // file_task_handler.py: try 0 is refused inside the content, with a token without log_pos
    // (airflow/captured/log-flaky-try0-json.json).
    const token = signer.logToken({ end_of_log: true });
    return flaskJson(200, { content: pythonLogContent([["default_host", `Error fetching the logs. Try number ${tryNumber} is invalid.`]]), continuation_token: token });
  }
  const lines = ti.logs.get(tryNumber);
  const host = (tryNumber === ti.try_number ? ti.hostname : ti.history.find((t) => t.try_number === tryNumber)?.hostname) ?? "";
  const end = endOfLog(ti, tryNumber);
  if (!lines) {
    // A try without a log file: only the notes, log_pos 0 (captured/log-flaky-try3-json.json).
    const notes = ` INFO - ::group::Log message source details\n*** Could not read served logs: no log for try ${tryNumber} (fake Airflow)\n INFO - ::endgroup::\n`;
    if (asText) return { status: 200, headers: { "content-type": "text/plain" }, body: `${host}\n${notes}\n` };
    return flaskJson(200, { content: pythonLogContent([[host, notes]]), continuation_token: signer.logToken({ end_of_log: true, log_pos: 0 }) });
  }
  const text = lines.map(lineText).join("\n");
  const chars = codePoints(text);
  // Since 2.10.4 the notes on where the log was found are a group before the text; log_pos does
  // not count them, and a read with a token leaves them out (section 7). A try without a line and
  // without a host (an EmptyOperator the scheduler finished) has no file: the server then fails to
  // ask the worker with no host (live 2.11.2).
  const found = lines.length === 0 && host === "" ? `*** Could not read served logs: Invalid URL 'http://:8793/log${logPath(ti, tryNumber).slice("/opt/airflow/logs".length)}': No host supplied` : `*** Found local files:\n***   * ${logPath(ti, tryNumber)}`;
  const notes = ` INFO - ::group::Log message source details\n${found}\n INFO - ::endgroup::\n`;
  if (asText) {
    // The text/plain stream: "<host>\n<text>\n" per block; it ignores log_pos (log_reader.py).
    return { status: 200, headers: { "content-type": "text/plain" }, body: `${host}\n${notes}${text}\n` };
  }
  const content = from === undefined ? notes + text : chars.slice(from).join("");
  return flaskJson(200, { content: pythonLogContent([[host, content]]), continuation_token: signer.logToken({ end_of_log: end, log_pos: chars.length }) });
}

// ---------------------------------------------------------------------------------------------
// 3.x: `{content: [records], continuation_token: string | null}`, or NDJSON.

/** What a 3.x log read may answer, from the Accept header (`header_accept_json_or_ndjson`). */
export function v2LogFormat(accept: string | undefined): "json" | "ndjson" | undefined {
  if (accept === undefined || accept.trim() === "") return "json";
  for (const part of accept.split(",")) {
    const type = part.split(";")[0]!.trim().toLowerCase();
    if (type === "application/json" || type === "*/*") return "json";
    if (type === "application/x-ndjson") return "ndjson";
  }
  return undefined;
}

const iso = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

function record(stored: StoredLine): Record<string, unknown> {
  const line = stored.line;
  if (typeof line === "string") return { timestamp: iso(stored.at), event: line, level: "info", logger: "task" };
  return { timestamp: iso(stored.at), ...line };
}

/**
 * One 3.x log read. `from`: the token's log_pos, a count of records after the source-details
 * group (observed: a 14-record first page of a running try carried log_pos 10).
 */
export function v2LogAnswer(signer: Signer, ti: TiRecord, tryNumber: number, from: number | undefined, format: "json" | "ndjson"): AppResponse {
  const records = (ti.logs.get(tryNumber) ?? []).map(record);
  const header = [{ event: "::group::Log message source details" }, { event: logPath(ti, tryNumber) }, { event: "::endgroup::" }];
  const end = endOfLog(ti, tryNumber);
  if (format === "ndjson") {
    // NDJSON restarts at the first record whatever the token says, and carries the token in a
    // header computed before streaming (airflow3-facts.md section 1.4, observed).
    const lines = [...header.map((h) => ({ timestamp: null, ...h })), ...records].map((r) => JSON.stringify(r) + "\n");
    const headers: Record<string, string> = { "content-type": "application/x-ndjson" };
    if (!end) headers["airflow-continuation-token"] = signer.logToken({ end_of_log: false, log_pos: from ?? records.length, download_logs: false });
    return { status: 200, headers, body: lines.join("") };
  }
  const content = from === undefined ? [...header, ...records] : records.slice(from);
  // The token is null once the end of the log was sent (observed on finished tries).
  return json(200, { content, continuation_token: end ? null : signer.logToken({ end_of_log: false, log_pos: records.length }) });
}
