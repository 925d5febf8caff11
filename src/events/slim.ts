const ACCUMULABLES = Buffer.from('"Accumulables":[');
const TASK_INFO_END = Buffer.from(']},"Task ');
const EXECUTOR_METRICS = Buffer.from(',"Task Executor Metrics":{');
const OBJECT_END = 0x7d;

/**
 * A task-end line without the two parts no table reads: `Task Info.Accumulables` (a third of the line: the
 * same metrics again, as accumulator updates) and `Task Executor Metrics` (a sixth: the executor's memory
 * gauges). DuckDB then parses half the bytes. Returned as pieces to write one after another, no copy made.
 * Each cut is made only where Spark's own layout is recognised; otherwise that part is left in place.
 */
export function slimTaskEnd(line: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0;
  const accumulables = line.indexOf(ACCUMULABLES);
  if (accumulables !== -1) {
    // Spark writes Accumulables last in Task Info, right before "Task Executor Metrics" or "Task Metrics".
    const end = line.indexOf(TASK_INFO_END, accumulables);
    if (end !== -1) {
      pieces.push(line.subarray(0, accumulables + ACCUMULABLES.length));
      from = end;
    }
  }
  const metrics = line.indexOf(EXECUTOR_METRICS, from);
  if (metrics !== -1) {
    // A flat object of numbers: its first closing brace ends it.
    const end = line.indexOf(OBJECT_END, metrics + EXECUTOR_METRICS.length);
    if (end !== -1) {
      pieces.push(line.subarray(from, metrics));
      from = end + 1;
    }
  }
  pieces.push(line.subarray(from));
  return pieces;
}
