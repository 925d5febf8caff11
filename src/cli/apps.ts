import type { ArgumentsCamelCase, Argv } from 'yargs';
import { renderRows, ROW_FORMATS } from '../render/rows.js';
import { formatDuration, formatTime } from '../render/units.js';
import { Db } from '../store/db.js';
import { asFormat, formatOption, type GlobalOptions } from './options.js';

const APPS_SQL = `
SELECT a.app_key AS key, a.app_name AS name, a.start_time AS start, a.duration_ms,
       CASE WHEN a.completed THEN 'completed' ELSE 'incomplete' END AS status,
       (SELECT count(*) FROM tasks t WHERE t.app_key = a.app_key) AS tasks,
       (SELECT count(*) FROM executors e WHERE e.app_key = a.app_key AND e.executor_id <> 'driver') AS executors,
       a.spark_version
FROM apps a ORDER BY a.start_time DESC NULLS LAST, a.app_key`;

export const appsCommand = {
  command: 'apps',
  describe: 'List ingested app attempts, newest first',
  builder: (y: Argv<GlobalOptions>) => formatOption(y, ROW_FORMATS),
  handler: async (args: ArgumentsCamelCase<GlobalOptions & { format: string }>) => {
    const format = asFormat(args.format, ROW_FORMATS);
    const db = await Db.open(args.db, { readOnly: true });
    try {
      const rows = await db.all(APPS_SQL);
      const columns = ['key', 'name', 'start', format === 'table' ? 'duration' : 'duration_ms', 'status', 'tasks', 'executors', 'spark_version'];
      const shown = format === 'table'
        ? rows.map((r) => ({ ...r, start: formatTime(r.start), duration: formatDuration(r.duration_ms as number | null) }))
        : rows;
      process.stdout.write(renderRows({ columns, rows: shown, numeric: new Set(['duration', 'tasks', 'executors']) }, format));
    } finally {
      db.close();
    }
  },
};
