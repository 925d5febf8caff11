import type { ArgumentsCamelCase, Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { renderRows, ROW_FORMATS } from '../render/rows.js';
import { Db } from '../store/db.js';
import { asFormat, formatOption, type GlobalOptions } from './options.js';

export const sqlCommand = {
  command: 'sql <query>',
  describe: 'Run a read-only SQL query on the database',
  builder: (y: Argv<GlobalOptions>) => formatOption(y.positional('query', { type: 'string', demandOption: true }), ROW_FORMATS),
  handler: async (args: ArgumentsCamelCase<GlobalOptions & { format: string; query: string }>) => {
    const format = asFormat(args.format, ROW_FORMATS);
    // Read-only at the database level: no statement can change what was ingested.
    const db = await Db.open(args.db, { readOnly: true });
    try {
      const result = await db.query(args.query).catch((error: Error) => {
        throw new UsageError(`query failed: ${error.message.split('\n')[0]}`);
      });
      const numeric = new Set(result.columns.filter((c) => result.rows.some((r) => typeof r[c] === 'number')));
      process.stdout.write(renderRows({ ...result, numeric }, format));
    } finally {
      db.close();
    }
  },
};
