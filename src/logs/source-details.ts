/**
 * Airflow starts a log answer read without a continuation token with notes on where the log was
 * found ("*** Found local files: ...", "*** Could not read served logs: ..."). They describe the
 * read, not the task: a running try and the same try once finished get different notes. Since
 * 2.10.4 they are wrapped in a "::group::Log message source details" block (file_task_handler.py,
 * apache/airflow#43681); before, they are the leading "*** " lines.
 */

const GROUP_START = /^[^\n]*::group::Log message source details\n/;
const GROUP_END = /^[^\n]*::endgroup::\n?/m;

/** Removes the leading source notes, if any; the rest of the text is returned unchanged. */
export function stripSourceDetails(text: string): string {
  const start = GROUP_START.exec(text);
  if (start) {
    const rest = text.slice(start[0].length);
    const end = GROUP_END.exec(rest);
    return end ? rest.slice(end.index + end[0].length) : text;
  }
  let offset = 0;
  while (text.startsWith("*** ", offset)) {
    const newline = text.indexOf("\n", offset);
    if (newline === -1) return "";
    offset = newline + 1;
  }
  return text.slice(offset);
}
