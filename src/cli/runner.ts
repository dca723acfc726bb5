/**
 * The one thing main.ts gives every command: a Runner. It lives here, not in main.ts, so that the
 * commands (which main.ts imports to register them) never import main.ts back.
 */
import type { Command } from "commander";
import type { Context } from "./context.js";

/** Runs a command's body with its context; a returned number becomes the exit code. */
export type Runner = (command: Command, body: (ctx: Context) => Promise<number | void>) => Promise<void>;
