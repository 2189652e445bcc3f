// penpot-integrations: the command-line face of the same core the extension uses.
// Exit codes: 0 success, 1 Penpot or network failure (one line on stderr), 2 usage error (with the usage text).
import { parseArgs } from 'node:util';
import packageJson from '../../package.json';
import { DEFAULT_PENPOT_URL, PenpotClient, normalizeBaseUrl } from '../penpot/client';
import { PenpotError, redactSecret } from '../penpot/errors';
import { UsageError, type CliCommand, type CliContext, type CliOptions, type CliValues } from './command';
import { commands as registeredCommands } from './commands';
import { escapeControl } from './table';
import { errorMessage } from '../common/errors';

const PROGRAM = 'penpot-integrations';

const GLOBAL_OPTIONS: CliOptions = {
  url: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const TOKEN_ARGUMENT_REFUSED =
  'The access token is read from the PENPOT_TOKEN environment variable only: as an argument it would stay in ' +
  'your shell history and be visible to other users in the process list.';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

function commandUsage(command: CliCommand): string {
  const synopsis = [PROGRAM, command.name, command.synopsis, '[--url URL] [--json]'].filter(Boolean).join(' ');
  const lines = [`Usage: ${synopsis}`, '', `${command.summary}.`];
  if (command.details?.length) lines.push('', ...command.details);
  return lines.join('\n');
}

function generalUsage(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 'help [COMMAND]'.length);
  const row = (name: string, summary: string) => `  ${name.padEnd(width)}  ${summary}`;
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Manage Penpot webhooks and access tokens from the command line.',
    '',
    'Commands:',
    ...commands.map((c) => row(c.name, c.summary)),
    row('help [COMMAND]', 'Show the usage of a command'),
    '',
    'Options for every command:',
    `  --url URL    Penpot server (default: $PENPOT_URL, else ${DEFAULT_PENPOT_URL})`,
    '  --json       Print one JSON document instead of text',
    '  -h, --help   Show help',
    '  --version    Print the version',
    '',
    'The access token comes from the PENPOT_TOKEN environment variable, never from an argument.',
    'Create one in Penpot under Settings > Integrations. HTTPS_PROXY and NO_PROXY are honoured.',
  ].join('\n');
}

interface Selection {
  command?: CliCommand;
  /** Words before the options that did not select a command. */
  words: string[];
  rest: string[];
}

/** Longest command name made of the leading words of `args`. */
function selectCommand(commands: CliCommand[], args: string[]): Selection {
  const leading: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('-')) break;
    leading.push(arg);
  }
  let best: CliCommand | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    const matches = words.every((word, i) => leading[i] === word);
    if (matches && (!best || words.length > best.name.split(' ').length)) best = command;
  }
  const used = best ? best.name.split(' ').length : 0;
  return { command: best, words: leading.slice(0, Math.max(used, 1)), rest: args.slice(used) };
}

/** Commands whose name starts with `words` (a group such as "webhooks"). */
function commandsUnder(commands: CliCommand[], words: string[]): CliCommand[] {
  const prefix = words.join(' ');
  return commands.filter((c) => c.name === prefix || c.name.startsWith(`${prefix} `));
}

/** Global options given before the command words (`--url X teams`). */
function splitLeadingGlobals(args: string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) {
    const arg = args[i];
    if (arg === '--url') {
      globals.push(arg, args[i + 1] ?? '');
      i += 2;
    } else {
      globals.push(arg);
      i += 1;
    }
  }
  return { globals, rest: args.slice(i) };
}

function parseOptions(options: CliOptions, args: string[], allowPositionals: boolean): { values: CliValues; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options, allowPositionals, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message.split('. ')[0].replace(/\.$/, '') + '.');
    }
    throw error;
  }
}

export async function runCli(argv: string[], io: CliIo, commands: CliCommand[] = registeredCommands): Promise<number> {
  const secret = io.env.PENPOT_TOKEN;
  const out = (text: string) => io.stdout.write(`${text}\n`);
  // Error lines can quote a server's text: control characters escaped line by line (the usage text spans lines).
  const err = (text: string) => io.stderr.write(`${redactSecret(text, secret).split('\n').map(escapeControl).join('\n')}\n`);
  const usageFailure = (message: string, usage: string) => {
    err(`error: ${message}`);
    err('');
    err(usage);
    return 2;
  };

  if (argv.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
    return usageFailure(TOKEN_ARGUMENT_REFUSED, generalUsage(commands));
  }

  const { globals, rest } = splitLeadingGlobals(argv);
  if (rest.length === 0 || rest[0] === 'help') {
    const wanted = rest.slice(1);
    let leading: { values: CliValues };
    try {
      leading = parseOptions({ ...GLOBAL_OPTIONS, version: { type: 'boolean' } }, globals, false);
    } catch (error) {
      return usageFailure((error as Error).message, generalUsage(commands));
    }
    if (leading.values.version) {
      out(packageJson.version);
      return 0;
    }
    if (wanted.length > 0) {
      const matching = commandsUnder(commands, wanted);
      if (matching.length === 0) return usageFailure(`Unknown command "${wanted.join(' ')}".`, generalUsage(commands));
      out(matching.map(commandUsage).join('\n\n'));
      return 0;
    }
    if (rest[0] === 'help' || leading.values.help) {
      out(generalUsage(commands));
      return 0;
    }
    return usageFailure('No command given.', generalUsage(commands));
  }

  const selection = selectCommand(commands, rest);
  const command = selection.command;
  if (!command) {
    const group = commandsUnder(commands, selection.words.slice(0, 1));
    if (group.length > 0 && rest.includes('--help')) {
      out(group.map(commandUsage).join('\n\n'));
      return 0;
    }
    const unknown = selection.words.join(' ') || rest[0];
    return usageFailure(
      group.length > 0 ? `"${unknown}" needs one of: ${group.map((c) => c.name).join(', ')}.` : `Unknown command "${unknown}".`,
      group.length > 0 ? group.map(commandUsage).join('\n\n') : generalUsage(commands),
    );
  }

  let client: PenpotClient | undefined;
  let stop: AbortController | undefined;
  const stopController = (): AbortController => {
    if (!stop) {
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      controller.signal.addEventListener('abort', () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      });
      stop = controller;
    }
    return stop;
  };

  try {
    const parsed = parseOptions({ ...GLOBAL_OPTIONS, ...command.options }, [...globals, ...selection.rest], true);
    if (parsed.values.help) {
      out(commandUsage(command));
      return 0;
    }
    const expected = command.positionals ?? [];
    // "[NAME]" is optional, "NAME…" (last) takes one or more.
    const required = expected.filter((name) => !name.startsWith('['));
    const variadic = expected.at(-1)?.endsWith('…') === true;
    if (parsed.positionals.length < required.length) throw new UsageError(`Missing ${required[parsed.positionals.length]}.`);
    if (!variadic && parsed.positionals.length > expected.length) {
      throw new UsageError(`Unexpected argument "${parsed.positionals[expected.length]}".`);
    }
    const json = parsed.values.json === true;
    let server: string | undefined;
    const serverUrl = (): string => {
      if (server === undefined) {
        const given = typeof parsed.values.url === 'string' ? parsed.values.url : io.env.PENPOT_URL || DEFAULT_PENPOT_URL;
        try {
          server = normalizeBaseUrl(given);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      }
      return server;
    };
    const context: CliContext = {
      values: parsed.values,
      positionals: parsed.positionals,
      json,
      env: io.env,
      version: packageJson.version,
      serverUrl,
      penpot() {
        if (!client) {
          const token = io.env.PENPOT_TOKEN?.trim();
          if (!token) {
            throw new UsageError('Set PENPOT_TOKEN to a Penpot access token (Penpot: Settings > Integrations).');
          }
          try {
            client = new PenpotClient({ baseUrl: serverUrl(), token, clientVersion: packageJson.version });
          } catch (error) {
            if (error instanceof TypeError) throw new UsageError(error.message);
            throw error;
          }
        }
        return client;
      },
      print: out,
      printJson: (value) => out(JSON.stringify(value, null, 2)),
      drained: () => drained(io.stdout),
      note: err,
      get stopSignal() {
        return stopController().signal;
      },
      untilStopped() {
        const signal = stopController().signal;
        return signal.aborted
          ? Promise.resolve()
          : new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      },
    };
    return (await command.run(context)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error.message, commandUsage(command));
    if (error instanceof PenpotError) {
      err(`error: ${error.message}`);
      return 1;
    }
    err(`error: ${errorMessage(error)}`);
    return 1;
  } finally {
    if (stop && !stop.signal.aborted) stop.abort();
    await client?.close();
  }
}

/** Waits for 'drain' when a stream's buffer is full, so output that cannot keep up does not pile up in memory. */
function drained(stream: CliIo['stdout']): Promise<void> {
  const writable = stream as Partial<NodeJS.WriteStream>;
  if (writable.writableNeedDrain !== true || typeof writable.once !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => { writable.off?.('drain', done); writable.off?.('close', done); resolve(); };
    writable.once?.('drain', done);
    writable.once?.('close', done);
  });
}

if (require.main === module) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${errorMessage(error)}\n`);
      process.exitCode = 1;
    },
  );
}
