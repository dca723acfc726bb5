/** A pseudo-terminal for the CLI's terminal behaviour: one private tmux server per session. */
import { execFileSync } from "node:child_process";
import { ROOT, cliEnv } from "./cli-process";

let counter = 0;

export function ensureTmux(): void {
  execFileSync(`${ROOT}/test/cli/ensure-tmux.sh`, { stdio: "inherit" });
}

export class TmuxSession {
  private readonly socket = `ati-cli-${process.pid}-${(counter += 1)}`;
  private closed = false;

  /** Starts bash in a width×height terminal with the given environment (AIRFLOW_* etc.). */
  constructor(env: Record<string, string | undefined>, width = 200, height = 50) {
    this.tmux(["-f", "/dev/null", "new-session", "-d", "-s", "cli", "-x", String(width), "-y", String(height), "-c", ROOT, "bash --norc --noprofile"], cliEnv({ ...env, PS1: "$ ", TERM: "xterm-256color" }));
  }

  private tmux(args: string[], env: NodeJS.ProcessEnv = cliEnv()): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], { env, encoding: "utf8" });
  }

  /** Types a command line and presses Enter. */
  type(line: string): void {
    this.tmux(["send-keys", "-t", "cli", "-l", line]);
    this.tmux(["send-keys", "-t", "cli", "Enter"]);
  }

  /** Sends keys by tmux name, e.g. "C-c". */
  keys(...names: string[]): void {
    this.tmux(["send-keys", "-t", "cli", ...names]);
  }

  /** What the terminal shows, scrollback included; with colour escapes when `escapes`. */
  capture(escapes = false): string {
    return this.tmux(["capture-pane", "-p", "-J", "-S", "-2000", "-t", "cli", ...(escapes ? ["-e"] : [])]);
  }

  /** Polls the screen until `pattern` shows. */
  async waitFor(pattern: RegExp, timeoutMs: number, escapes = false): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.capture(escapes).match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`the terminal did not show ${pattern} within ${timeoutMs} ms; it shows:\n${this.capture()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.tmux(["kill-server"]);
    } catch {
      // Already gone.
    }
  }
}
