import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';

export interface GlobalOptions {
  db: string;
  debug: boolean;
}

export const DEFAULT_DB = 'sparkopt.duckdb';

export function withGlobalOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('db', {
      type: 'string',
      default: process.env.SPARKOPT_DB ?? DEFAULT_DB,
      defaultDescription: `$SPARKOPT_DB or ./${DEFAULT_DB}`,
      describe: 'DuckDB database file',
    })
    .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces of errors' });
}

export function formatOption<T>(yargs: Argv<T>, choices: readonly string[], describe = 'Output format') {
  return yargs.option('format', { type: 'string', choices, default: choices[0], describe });
}

export function asFormat<T extends string>(value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) throw new UsageError(`unknown format ${String(value)}: use ${choices.join(', ')}`);
  return value as T;
}
