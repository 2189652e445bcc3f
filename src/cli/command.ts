// What a CLI command is. Commands live in their own files and are registered in ./commands.ts; main.ts parses the
// arguments with node:util parseArgs, builds the context and maps errors to exit codes.
import type { ParseArgsConfig } from 'node:util';
import type { PenpotClient } from '../penpot/client';

export type CliOptions = NonNullable<ParseArgsConfig['options']>;

/** Values parseArgs produced for the command's and the global options. */
export type CliValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliCommand {
  /** The words that select the command, e.g. "webhooks list". */
  name: string;
  /** What follows the name in the usage line, e.g. "--team ID [--json]". */
  synopsis: string;
  /** One line for the command list. */
  summary: string;
  /** Extra help lines shown by `help <command>`. */
  details?: string[];
  /** The command's own options (parseArgs form); --url, --json and --help are added to every command. */
  options?: CliOptions;
  /** Names of the positional arguments, e.g. ["ID"]; "[NAME]" is optional, a last "NAME…" takes one or more; checked before `run`. */
  positionals?: string[];
  /** Resolves to the exit code (default 0). Throw UsageError for bad arguments, PenpotError for Penpot failures. */
  run(ctx: CliContext): Promise<number | void>;
}

export interface CliContext {
  values: CliValues;
  positionals: string[];
  /** --json: print exactly one JSON document on stdout. */
  json: boolean;
  env: NodeJS.ProcessEnv;
  version: string;
  /** The Penpot server (--url, PENPOT_URL or the default), normalised. */
  serverUrl(): string;
  /** A client for serverUrl() with PENPOT_TOKEN, made on first use and closed when the command ends. */
  penpot(): PenpotClient;
  /** Writes one line (or several) to stdout. */
  print(text: string): void;
  printJson(value: unknown): void;
  /** Resolves once stdout has taken what was printed (at once unless its buffer is full): long outputs wait on it. */
  drained(): Promise<void>;
  /** Writes to stderr (progress and notes that must not pollute --json output). */
  note(text: string): void;
  /** Aborted on SIGINT/SIGTERM; long-running commands (twin, listen) stop on it. */
  stopSignal: AbortSignal;
  /** Resolves once stopSignal is aborted. */
  untilStopped(): Promise<void>;
}

/** Bad arguments: main prints the message and the command's usage, and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A string option's value, or undefined; parseArgs only gives arrays for `multiple` options. */
export function stringOption(ctx: CliContext, name: string): string | undefined {
  const value = ctx.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredOption(ctx: CliContext, name: string): string {
  const value = stringOption(ctx, name);
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} is required.`);
  return value;
}

export function flag(ctx: CliContext, name: string): boolean {
  return ctx.values[name] === true;
}
