import { CLOSE_OBJECT } from './json-bytes.js';

const ACCUMULABLES = Buffer.from('"Accumulables":[');
const TASK_INFO_END = Buffer.from(']},"Task ');
/** Flat objects of numbers no table reads; the first closing brace after one ends it. */
const FLAT_OBJECTS = [Buffer.from(',"Task Executor Metrics":{'), Buffer.from(',"Push Based Shuffle":{')];

/**
 * A task-end line without the parts no table reads: `Task Info.Accumulables` (a third of a Spark 3 line: the
 * same metrics again, as accumulator updates), `Task Executor Metrics` (a sixth: the executor's memory
 * gauges) and the push-based shuffle counters. DuckDB then parses 40 % of the bytes. The line is
 * `line[start, end)`; the ranges to keep, in order, are written to `ranges` as [from, to, from, to, ...]
 * (nothing is copied). A cut is made only where Spark's own layout is recognised; otherwise that part stays.
 */
export function slimTaskEnd(line: Buffer, start: number, end: number, ranges: number[]): void {
  ranges.length = 0;
  // Searches run in a view of the line: on the whole chunk a missing key would be looked for to its end.
  const view = line.subarray(start, end);
  let from = 0;
  const accumulables = view.indexOf(ACCUMULABLES);
  if (accumulables !== -1) {
    // Spark writes Accumulables last in Task Info, right before "Task Executor Metrics" or "Task Metrics".
    const infoEnd = view.indexOf(TASK_INFO_END, accumulables);
    if (infoEnd !== -1) {
      ranges.push(start, start + accumulables + ACCUMULABLES.length);
      from = infoEnd;
    }
  }
  for (const key of FLAT_OBJECTS) {
    const at = view.indexOf(key, from);
    if (at === -1) continue;
    const close = view.indexOf(CLOSE_OBJECT, at + key.length);
    if (close === -1) continue;
    ranges.push(start + from, start + at);
    from = close + 1;
  }
  ranges.push(start + from, end);
}
