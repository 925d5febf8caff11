import type { RowBuffer } from '../events/row-buffer.js';
import { type BigIntRows, VECTOR_SIZE } from './db.js';

/**
 * Row buffers handed to DuckDB as one run of rows, for one INSERT: an INSERT costs DuckDB 3-4 ms whatever its
 * rows (parsing, binding and planning its projection, three round trips to Node), and a big log's buffers wait
 * for DuckDB several at a time. Each buffer numbers its strings from 1; the run's strings are the buffers' in
 * turn, and a last column gives, for each row, how many strings come before its buffer's.
 */
export class BufferRun implements BigIntRows {
  readonly rows: number;
  /** The buffers' strings, one after another: an INSERT's $2. */
  readonly strings: string[] = [];
  /** The run's row at which each buffer starts. */
  private readonly starts: number[] = [];
  /** Per buffer, VECTOR_SIZE copies of the number of strings before its own. */
  private readonly offsets: BigInt64Array[] = [];
  /** The column of the strings' offsets: the one after the buffers' own. */
  private readonly offsetColumn: number;

  /** `buffers`: each but the last holds a multiple of VECTOR_SIZE rows (see runsOf). */
  constructor(private readonly buffers: readonly RowBuffer[], columns: number) {
    this.offsetColumn = columns - 1;
    let rows = 0;
    for (const buffer of buffers) {
      this.starts.push(rows);
      this.offsets.push(new BigInt64Array(VECTOR_SIZE).fill(BigInt(this.strings.length)));
      for (const text of buffer.strings()) this.strings.push(text);
      rows += buffer.rows;
    }
    this.rows = rows;
  }

  values(index: number, from: number, count: number): Uint8Array {
    const at = this.bufferAt(from);
    if (index === this.offsetColumn) return new Uint8Array(this.offsets[at]!.buffer, 0, count * 8);
    return this.buffers[at]!.values(index, from - this.starts[at]!, count);
  }

  validity(index: number, from: number, count: number): Uint8Array {
    const at = this.bufferAt(from);
    if (index === this.offsetColumn) return ALL_VALID.subarray(0, Math.ceil(count / 8));
    return this.buffers[at]!.validity(index, from - this.starts[at]!, count);
  }

  /** The buffer that holds row `from` (DuckDB asks for rows in order, from a buffer's start on). */
  private bufferAt(from: number): number {
    let at = this.starts.length - 1;
    while (this.starts[at]! > from) at--;
    return at;
  }
}

const ALL_VALID = new Uint8Array(VECTOR_SIZE / 8).fill(0xff);

/**
 * `buffers` (none empty) cut into runs DuckDB can read a call's rows of from one buffer: a buffer that holds
 * other than a multiple of VECTOR_SIZE rows (only the last one being filled does) ends its run.
 */
export function runsOf(buffers: readonly RowBuffer[]): RowBuffer[][] {
  const runs: RowBuffer[][] = [];
  let run: RowBuffer[] = [];
  for (const buffer of buffers) {
    run.push(buffer);
    if (buffer.rows % VECTOR_SIZE !== 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
