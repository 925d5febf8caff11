import { RowBuffer, type ScanStop } from '../events/row-buffer.js';
import { BufferRun, runsOf } from './buffer-run.js';
import type { Db } from './db.js';
import type { MemoryLimit } from './memory-limit.js';
import { extractRowsSql, rowColumns, rowFields } from './extract.js';
import { tasks } from './tables/index.js';

/** The table function task rows reach DuckDB through. */
const FUNCTION = 'sparkopt_task_rows';
const COLUMNS = rowColumns(tasks);
const INSERT_SQL = extractRowsSql(tasks, FUNCTION);
/**
 * An INSERT, of a buffer or a run of them, costs DuckDB 3-4 ms whatever its rows (see BufferRun): on the 1 GB
 * log 16,384 rows a buffer took 0.05 s and 0.14 CPU-s less than 8,192 (six interleaved runs each, the same rows
 * of backlog); 32,768 no less.
 */
export const ROWS_PER_BUFFER = 16 * 1024;
/** Emptied buffers kept for the next pieces and batches, with the templates they learned. */
const spare: RowBuffer[] = [];
const MAX_SPARE = 1;

/** Makes the table function task rows reach DuckDB through; before any batch (see Db.defineRowSource). */
export function defineTaskRowSource(db: Db): void {
  db.defineRowSource(FUNCTION, COLUMNS);
}

/**
 * A batch's task-end lines read into rows in WebAssembly (src/events/row-buffer.ts), in buffers of 16,384 rows
 * (8.4 MiB of WebAssembly memory each), and their INSERT: DuckDB takes the rows from a table function instead of
 * parsing JSON, which was most of its time. A line the row reader does not take is staged as JSON, as before.
 */
export class TaskRows {
  private buffers: RowBuffer[] = [];
  /**
   * `SPARKOPT_TASK_LINES=json` sends every task line through DuckDB's JSON reader, as before task rows were read
   * in WebAssembly: to compare the two (the tests do), or to rule the row reader out when a number looks wrong.
   */
  readonly enabled = process.env.SPARKOPT_TASK_LINES !== 'json';

  /** Reads a (slimmed) task-end line, `source`'s `ranges`, into a row; false when it is for DuckDB's JSON reader. */
  add(slot: number, line: number, source: Uint8Array, ranges: readonly number[]): boolean {
    return this.enabled && this.buffer().add(slot, line, source, ranges);
  }

  /**
   * Reads the task ends among the newline-ended lines of `source[from, to)` into rows (see RowBuffer.scan), on
   * into new buffers as they fill; stops at a line for the caller, or where no whole line is left.
   */
  scan(slot: number, lineBase: number, source: Uint8Array, from: number, to: number, lineNo: number): ScanStop {
    // What the buffers filled before the last took, added to the last one's stop.
    let rows = 0;
    let skipped = 0;
    let lastLine = 0;
    for (;;) {
      const buffer = this.buffer();
      const stop = buffer.scan(slot, lineBase, source, from, to, lineNo);
      if (stop.line || !buffer.full || stop.pos === to) {
        stop.rows += rows;
        stop.skipped += skipped;
        stop.lastLine = Math.max(stop.lastLine, lastLine);
        return stop;
      }
      rows += stop.rows;
      skipped += stop.skipped;
      lastLine = Math.max(stop.lastLine, lastLine);
      from = stop.pos;
      lineNo = stop.lineNo;
    }
  }

  /** The buffer rows go to: a new one when the last is full. */
  private buffer(): RowBuffer {
    let buffer = this.buffers[this.buffers.length - 1];
    if (!buffer || buffer.full) this.buffers.push((buffer = spare.pop() ?? new RowBuffer(rowFields(tasks), ROWS_PER_BUFFER)));
    return buffer;
  }

  /** The bytes of JSON the rows stand for: what staging them would have cost. */
  get lineBytes(): number {
    let bytes = 0;
    for (const buffer of this.buffers) bytes += buffer.lineBytes;
    return bytes;
  }

  get fullBuffers(): number {
    let full = 0;
    for (const buffer of this.buffers) if (buffer.full) full++;
    return full;
  }

  /** Takes the full buffers (`all`: every buffer) for `insert`. */
  take(all: boolean): RowBuffer[] {
    const taken = this.buffers.filter((buffer) => all || buffer.full);
    this.buffers = all ? [] : this.buffers.filter((buffer) => !buffer.full);
    return taken;
  }

  /**
   * Inserts the rows of `buffers` into `tasks` (`keys`: app keys by slot, NULL to drop a slot's rows), in as few
   * INSERTs as they allow (see BufferRun), under the memory limit for rows (MemoryLimit.forRows) when there are any.
   */
  async insert(db: Db, limit: MemoryLimit, buffers: RowBuffer[], keys: (string | null)[]): Promise<void> {
    try {
      const runs = runsOf(buffers.filter((buffer) => buffer.rows > 0));
      if (runs.length > 0) await limit.forRows();
      for (const run of runs) {
        const rows = new BufferRun(run, COLUMNS.length);
        await db.runWithRows(FUNCTION, rows, INSERT_SQL, [keys, rows.strings]);
      }
    } finally {
      release(buffers);
    }
  }

  /** Drops the rows not inserted (the batch failed or is done). */
  discard(): void {
    release(this.take(true));
  }
}

function release(buffers: RowBuffer[]): void {
  for (const buffer of buffers) {
    buffer.clear();
    if (spare.length < MAX_SPARE) spare.push(buffer);
  }
}
