// A long-running Thrift server's log (or a streaming app's): the real log's header, then thousands of SQL
// executions, each a start with a long SQL text and its first plan, an AQE update with the final plan and an
// end, then the ApplicationEnd. Its bytes are SQL texts and plans, not tasks: the shape where DuckDB's memory
// follows the size of the values (it moves 2,048 rows at a time) and its merges hold them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cachedInput } from './cached-input.js';
import { type LogTemplate, NO_SHIFT, render } from './log-template.js';
import { SparkLogWriter } from './spark-writer.js';

const SQL = 'org.apache.spark.sql.execution.ui.';
/** Execution ids from here: above any of the source log's. */
const FIRST_EXECUTION_ID = 100_000;

export interface SqlHeavyLog {
  name: string;
  file: string;
  appId: string;
  executions: number;
  /** Characters of each execution's final plan and of its SQL text. */
  planChars: number;
  textChars: number;
  plainBytes: number;
  compressedBytes: number;
  lines: number;
}

/** `chars` characters of `unit` repeated, numbered so that no two executions' texts are equal. */
function filled(prefix: string, unit: string, chars: number): string {
  return `${prefix}${unit.repeat(Math.ceil(chars / unit.length))}`.slice(0, chars);
}

export function generateSqlHeavyLog(t: LogTemplate, executions: number, planChars: number, textChars: number, name: string, dir: string): SqlHeavyLog {
  const file = path.join(dir, `${name}.zstd`);
  const writer = new SparkLogWriter([{ path: file, codec: 'zstd' }]);
  for (const line of t.header) writer.line(line.event, render(line, NO_SHIFT));
  const startClock = JSON.parse(render(t.end, NO_SHIFT)).Timestamp as number;
  for (let i = 0; i < executions; i++) {
    const executionId = FIRST_EXECUTION_ID + i;
    const time = startClock + i * 10;
    const text = filled(`/* report ${i} */ `, `SELECT store_id, sum(amount) AS amount_${i % 97} FROM sales WHERE day = '2026-03-01' GROUP BY 1 UNION ALL `, textChars);
    const plan = (stage: string) =>
      filled(`== Physical Plan ==\nAdaptiveSparkPlan isFinalPlan=${stage}\n`, `+- HashAggregate(keys=[store_id#${i}L], functions=[sum(amount#${i})])\n`, planChars);
    const events = [
      { Event: `${SQL}SparkListenerSQLExecutionStart`, executionId, description: text, details: '', physicalPlanDescription: plan('false'), time },
      { Event: `${SQL}SparkListenerSQLAdaptiveExecutionUpdate`, executionId, physicalPlanDescription: plan('true') },
      { Event: `${SQL}SparkListenerSQLExecutionEnd`, executionId, time: time + 5 },
    ];
    for (const event of events) writer.line(event.Event, JSON.stringify(event));
  }
  const endShift = { ...NO_SHIFT, clock: executions * 10 + 1000 };
  writer.line(t.end.event, render(t.end, endShift));
  const [written] = writer.close();
  return {
    name, file, appId: t.appId, executions, planChars, textChars,
    plainBytes: writer.plainBytes, compressedBytes: written!.bytes, lines: writer.lines,
  };
}

/** The cached log, generated when missing or made with other sizes. */
export async function ensureSqlHeavyLog(
  template: () => Promise<LogTemplate>, executions: number, planChars: number, textChars: number, dir: string,
): Promise<{ log: SqlHeavyLog; generatedMs?: number }> {
  const name = `sql-heavy-${executions}`;
  const isWhole = (log: SqlHeavyLog) => existsSync(log.file) && log.planChars === planChars && log.textChars === textChars;
  const generate = async () => generateSqlHeavyLog(await template(), executions, planChars, textChars, name, dir);
  const { made, generatedMs } = await cachedInput(dir, name, isWhole, generate);
  return { log: made, generatedMs };
}
