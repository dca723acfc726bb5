#!/usr/bin/env node
/** The `airflow-ti` launcher: runs main() and exits with its code once stdout and stderr are flushed. */
import { main } from "./main.js";

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write("", () => resolve());
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
