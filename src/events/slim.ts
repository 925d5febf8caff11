const ACCUMULABLES = Buffer.from('"Accumulables":[');
const TASK_INFO_END = Buffer.from(']},"Task ');
/** Flat objects of numbers no table reads; the first closing brace after one ends it. */
const FLAT_OBJECTS = [Buffer.from(',"Task Executor Metrics":{'), Buffer.from(',"Push Based Shuffle":{')];
const OBJECT_END = 0x7d;

/**
 * A task-end line without the parts no table reads: `Task Info.Accumulables` (a third of a Spark 3 line: the
 * same metrics again, as accumulator updates), `Task Executor Metrics` (a sixth: the executor's memory
 * gauges) and the push-based shuffle counters. DuckDB then parses 40 % of the bytes. Returned as pieces to
 * write one after another, nothing copied. A cut is made only where Spark's own layout is recognised;
 * otherwise that part is left in place.
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
  for (const key of FLAT_OBJECTS) {
    const start = line.indexOf(key, from);
    if (start === -1) continue;
    const end = line.indexOf(OBJECT_END, start + key.length);
    if (end === -1) continue;
    pieces.push(line.subarray(from, start));
    from = end + 1;
  }
  pieces.push(line.subarray(from));
  return pieces;
}
