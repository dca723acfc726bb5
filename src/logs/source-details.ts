/**
 * Airflow starts a log answer read without a continuation token with notes on where the log was
 * found ("*** Found local files: ...", "*** Could not read served logs: ..."). They describe the
 * read, not the task: a running try and the same try once finished get different notes. Since
 * 2.10.4 they are wrapped in a "::group::Log message source details" block (file_task_handler.py,
 * apache/airflow#43681); before, they are the leading "*** " lines.
 */

const GROUP_START = /^[^\n]*::group::Log message source details\n/;
const GROUP_END = /^[^\n]*::endgroup::\n?/m;
const GROUP_END_LINE = /^[^\n]*::endgroup::\n/m;

/** Removes the leading source notes, if any; the rest of the text is returned unchanged. */
export function stripSourceDetails(text: string): string {
  const start = GROUP_START.exec(text);
  if (start) {
    const rest = text.slice(start[0].length);
    const end = GROUP_END.exec(rest);
    return end ? rest.slice(end.index + end[0].length) : text;
  }
  const offset = afterStarLines(text);
  return offset < 0 ? "" : text.slice(offset);
}

/** Where the leading "*** " lines end, or -1 when the last of them has no newline (yet). */
function afterStarLines(text: string): number {
  let offset = 0;
  while (text.startsWith("*** ", offset)) {
    offset = text.indexOf("\n", offset) + 1;
    if (!offset) return -1;
  }
  return offset;
}

/** Longest start of a log held back while deciding where the notes end. */
const MAX_HELD = 1 << 20;

/**
 * {@link stripSourceDetails} over a stream of pieces: holds back only the start of the text,
 * until the notes are known to have ended, then passes every piece straight through.
 */
export function createSourceDetailsFilter(): { push(piece: string): string; end(): string } {
  let held: string | undefined = "";
  const flush = () => {
    const out = held === undefined ? "" : stripSourceDetails(held);
    held = undefined;
    return out;
  };
  return {
    push(piece) {
      if (held === undefined) return piece;
      held += piece;
      return notesDecided(held) || held.length >= MAX_HELD ? flush() : "";
    },
    end: flush,
  };
}

function notesDecided(text: string): boolean {
  const firstLineEnd = text.indexOf("\n");
  if (firstLineEnd === -1) return false;
  // The end line counts only once its newline is in, or that newline would be left behind.
  if (GROUP_START.test(text)) return GROUP_END_LINE.test(text.slice(firstLineEnd + 1));
  const offset = afterStarLines(text);
  // The next line is no note once it is long enough not to be the start of "*** ".
  return offset >= 0 && (text.length - offset >= 4 || text.includes("\n", offset));
}
