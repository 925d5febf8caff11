import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SparkoptError } from '../errors.js';
import { useOneDuckDbArena } from './duckdb-allocator.js';
import { withGlobalOptions } from './options.js';

// Ctrl-C: exit through process.exit so temporary files are removed; DuckDB drops the open transaction.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

type Cli = ReturnType<typeof withGlobalOptions<object>>;

/** yargs' own complaints: unknown flags, missing arguments. */
class UsageFailure extends Error {}

/**
 * Each command's module, loaded only when that command runs: their imports (DuckDB, the codecs, the report's
 * analyses and renderers) are most of sparkopt's start-up. Help and mistyped commands load them all; `--version`
 * alone loads none.
 */
const COMMANDS = {
  ingest: () => {
    useOneDuckDbArena();
    return import('./ingest.js').then((m) => (y: Cli) => y.command(m.ingestCommand));
  },
  apps: () => import('./apps.js').then((m) => (y: Cli) => y.command(m.appsCommand)),
  sql: () => import('./sql.js').then((m) => (y: Cli) => y.command(m.sqlCommand)),
  report: () => import('./report.js').then((m) => (y: Cli) => y.command(m.reportCommand)),
};

/**
 * sparkopt's own version, from its package.json (two folders up, from src/cli/ and from dist/bundle/ alike): yargs
 * looks for a package.json from the working folder, and printed "unknown" anywhere else, or in a folder whose
 * name has a dot (it took the folder for a file).
 */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const argv = hideBin(process.argv);
const debug = argv.includes('--debug');

try {
  const named = commandName(argv);
  const versionOnly = argv.includes('--version') && !argv.some((a) => a === '--help' || a === '-h');
  const loads = named ? [COMMANDS[named]] : versionOnly ? [] : Object.values(COMMANDS);
  const commands = await Promise.all(loads.map((load) => load()));
  const cli = commands.reduce((y, addCommand) => addCommand(y), withGlobalOptions(yargs(argv)).scriptName('sparkopt'));
  await cli
    // sparkopt speaks English: yargs' own words ("Commands:", "Show help") in the user's locale were mixed into it.
    .detectLocale(false)
    .demandCommand(1, 'name a command: ingest, apps, sql or report')
    .strict()
    .recommendCommands()
    .fail((message, error) => {
      throw error ?? new UsageFailure(message);
    })
    .help()
    .version(VERSION)
    .parseAsync();
} catch (error) {
  process.stderr.write(`sparkopt: ${describe(error)}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = exitCodeOf(error);
}

/** The command the arguments name (the first word that is not an option or `--db`'s value), if it is one of ours. */
function commandName(args: readonly string[]): keyof typeof COMMANDS | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--db') i++;
    else if (!args[i]!.startsWith('-')) return Object.hasOwn(COMMANDS, args[i]!) ? (args[i] as keyof typeof COMMANDS) : undefined;
  }
  return undefined;
}

function describe(error: unknown): string {
  // yargs spreads some complaints over lines ("Invalid values:\n  Argument: ..."): one line, like every other error.
  if (error instanceof UsageFailure) return `${error.message.replace(/\s*\n\s*/g, ' ')} (see sparkopt --help)`;
  if (error instanceof Error) return error.message.split('\n')[0]!;
  return String(error);
}

function exitCodeOf(error: unknown): number {
  if (error instanceof SparkoptError) return error.exitCode;
  if (error instanceof UsageFailure) return 2;
  return 3;
}
