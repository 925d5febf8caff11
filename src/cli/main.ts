import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SparkoptError } from '../errors.js';
import { appsCommand } from './apps.js';
import { ingestCommand } from './ingest.js';
import { reportCommand } from './report.js';
import { withGlobalOptions } from './options.js';
import { sqlCommand } from './sql.js';

// Ctrl-C: exit through process.exit so temporary files are removed; DuckDB drops the open transaction.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** yargs' own complaints: unknown flags, missing arguments. */
class UsageFailure extends Error {}

const argv = hideBin(process.argv);
const debug = argv.includes('--debug');

try {
  await withGlobalOptions(yargs(argv))
    .scriptName('sparkopt')
    .command(ingestCommand)
    .command(appsCommand)
    .command(sqlCommand)
    .command(reportCommand)
    .demandCommand(1, 'name a command: ingest, apps, sql or report')
    .strict()
    .recommendCommands()
    .fail((message, error) => {
      throw error ?? new UsageFailure(message);
    })
    .help()
    .version()
    .parseAsync();
} catch (error) {
  process.stderr.write(`sparkopt: ${describe(error)}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = exitCodeOf(error);
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
