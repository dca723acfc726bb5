#!/usr/bin/env node
/** The `airflow-ti` launcher: runs main() and exits with its code once stdout and stderr are flushed. */
import { main } from "./main.js";

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write("", () => resolve());
  });
}

// A reader that closes the pipe (`| head -1`) must end the CLI quietly, like `cat`. main() turns
// a closed stdout into exit 0 while a command runs; these listeners stay for the whole process, so
// an EPIPE reported after main() returned (a large write still in flight) is not an uncaught
// 'error' event with a stack trace either. Other errors of the two streams leave with exit 4.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") return;
    process.exit(4);
  });
}

main(process.argv).then(
  async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  },
  (error: unknown) => {
    // main() reports every error itself; this is a last resort that still prints no stack.
    process.stderr.write(`airflow-ti: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(4);
  },
);
