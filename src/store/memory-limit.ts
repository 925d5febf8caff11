import { type Db, NEW_FILE_BLOCK_BYTES } from './db.js';
import type { StagedFile } from './staging.js';
import { eventTables } from './tables/index.js';
import { largeValueEvents } from './spec.js';

/** DuckDB moves a table's rows this many at a time, whatever their size (its vector size). */
const ROWS_AT_ONCE = 2048;
/**
 * Memory a commit needs per byte of the rows it moves at once, measured at the limit where it stopped failing:
 * 2,048 rows of 60 KB plans needed 1.1-1.2x their size (130 MB failed, 150 MB did not), of 200 KB plans
 * 1.3-1.45x (520 MB failed, 600 MB did not); 40 plans of 3 MB and 8 of 15 MB fit 1.5x.
 */
const BYTES_PER_ROW_BYTE = 1.5;

/**
 * DuckDB's allocator keeps freed memory until a bulk free passes this threshold (512 MiB by default), so the JSON
 * buffers and row chunks of each piece piled up outside memory_limit (measured on the 1 GB log: peak RSS 340-400
 * MB at the default, 280-300 MB at 16 MB; 48 and 96 MB barely helped). It costs 4-10 % of wall time (memory
 * handed back is faulted in again); kept, as lz4 logs stay under 400 MB only with it.
 */
const HAND_BACK_AT = '16MB';
/** DuckDB's default. */
const KEEP_UP_TO = '512MB';
/**
 * memory_limit while task rows are inserted into a database file of 64 KiB blocks. DuckDB keeps each block it
 * writes in memory until its limit is reached, and a task-row INSERT needs little (two row groups being filled,
 * 8-17 MB, and ~6 MB of its own): under 96 MB the written blocks held 9.4 MB when the 1 GB log ended and 29 MB
 * when a 3 GB log did. Under this limit DuckDB lets them go (copies of what is in the file) once it is reached:
 * peak RSS 190-196 -> 184-186 MB on the 1 GB log, 227-241 -> 200-204 MB on the 3 GB one, the 1,000-app fleet's
 * 235-253 -> 220-232 MB, no slower (interleaved runs). A file of 256 KiB blocks (made before) needs 25-48 MB for
 * its row groups alone, and a database in memory cannot let its blocks go: both insert under the pass's limit.
 */
const ROWS_LIMIT = '32MB';

/** Events whose lines carry a table's large values (query plans, SQL texts): the widest rows a batch can commit. */
const WIDE_ROW_EVENTS: readonly string[] = [...new Set(eventTables.flatMap(largeValueEvents))];

/** `96MB`, `1GB`, `19.7GB` (DuckDB's units: powers of 1,000) in bytes. */
export function limitBytes(limit: string): number {
  const match = /^(\d+(?:\.\d+)?)(MB|GB)$/.exec(limit);
  if (!match) throw new Error(`not a memory limit: ${limit}`);
  return Number(match[1]) * (match[2] === 'GB' ? 1e9 : 1e6);
}

/**
 * What committing rows made of these staged lines needs: the widest line times the rows DuckDB moves at once
 * (no more than the files hold). Query plans and SQL texts are the only values that get near a limit: Spark
 * writes one of each per SQL execution, and a Thrift server or streaming app can write tens of thousands of
 * 60 KB plans.
 */
export function wideRowsNeed(files: readonly (StagedFile | undefined)[]): number {
  const staged = files.filter((f): f is StagedFile => f !== undefined);
  const lines = staged.reduce((n, f) => n + f.lines, 0);
  const bytes = staged.reduce((n, f) => n + f.bytes, 0);
  const widest = Math.max(0, ...staged.map((f) => f.widestLine));
  return Math.min(Math.min(lines, ROWS_AT_ONCE) * widest, bytes) * BYTES_PER_ROW_BYTE;
}

/**
 * DuckDB's memory_limit during one ingest pass: `base`, raised for the commit of a batch whose widest rows do
 * not fit it (up to `most`), so a log of many big plans is stored in one pass instead of failing under the base
 * and being read again under the next limit. The memory then grows with the size of the plans, not of the log.
 */
export class MemoryLimit {
  private readonly baseBytes: number;
  private readonly mostBytes: number;
  private current: number;
  /** The most a commit of this pass needed. */
  private highest = 0;
  /** The limit task rows are inserted under, when lower than the pass's (see ROWS_LIMIT). */
  private rowsBytes?: number;
  /** Whether DuckDB's limit is the rows' now. */
  private lowered = false;

  /**
   * `rowsMayLower`: whether task rows may go in under ROWS_LIMIT; not in a pass after one that ran out of memory,
   * which may have been theirs.
   */
  constructor(private readonly db: Db, base: string, most: string, private readonly rowsMayLower = true) {
    this.baseBytes = limitBytes(base);
    this.mostBytes = limitBytes(most);
    this.current = this.baseBytes;
  }

  /** Sets the pass's memory_limit, and has DuckDB hand freed memory back (see HAND_BACK_AT). */
  async start(): Promise<void> {
    await this.set(this.baseBytes);
    await this.freedMemory(HAND_BACK_AT);
    const rowsBytes = limitBytes(ROWS_LIMIT);
    if (this.rowsMayLower && rowsBytes < this.baseBytes && (await this.writesSmallBlocks())) this.rowsBytes = rowsBytes;
  }

  /**
   * Before an INSERT of task rows: DuckDB's limit becomes ROWS_LIMIT when it applies, and stays so for the rows
   * that follow (each change of the limit is a statement, 2-3 ms of DuckDB's time: around every INSERT, they
   * cost the 1 GB log 70-100 ms).
   */
  async forRows(): Promise<void> {
    if (this.rowsBytes !== undefined && this.rowsBytes < this.current && !this.lowered) {
      await this.db.run(limitSql(this.rowsBytes));
      this.lowered = true;
    }
  }

  /** Before any other statement (a rollback's too): the pass's limit again, if rows had it lowered. */
  async forOthers(): Promise<void> {
    if (this.lowered) await this.set(this.current);
  }

  /** Whether the database is a file of 64 KiB blocks (an in-memory one cannot let written blocks go). */
  private async writesSmallBlocks(): Promise<boolean> {
    if (this.db.path === ':memory:') return false;
    const [size] = await this.db.all<{ block_size: number }>(
      'SELECT block_size FROM pragma_database_size() WHERE database_name = current_database()',
    );
    return size?.block_size === NEW_FILE_BLOCK_BYTES;
  }

  /**
   * Runs `work` with DuckDB keeping the memory it frees, as it does by default: a batch's light tables are
   * several small statements, and each faulted its buffers in again (measured: the light tables' inserts 30-35 %
   * faster; the 1,000-app fleet 6-14 % faster, its peak 15-30 MB higher, as its next batch is read meanwhile; the
   * 1 GB log's peak within its runs' spread).
   */
  async keepingFreedMemory<T>(work: () => Promise<T>): Promise<T> {
    await this.freedMemory(KEEP_UP_TO);
    try {
      return await work();
    } finally {
      // After a failed statement DuckDB takes none until the rollback; the next pass's start sets it again.
      await this.freedMemory(HAND_BACK_AT).catch(() => undefined);
    }
  }

  private async freedMemory(threshold: string): Promise<void> {
    // A constant of this file, never user input (SET takes no parameters).
    await this.db.run(`SET allocator_bulk_deallocation_flush_threshold = '${threshold}'`);
  }

  /** Raises the limit for a commit of these staged lines if it needs more; returns whether it did. */
  async raiseFor(staging: { pending(kind: string): StagedFile | undefined }): Promise<boolean> {
    const need = Math.min(wideRowsNeed(WIDE_ROW_EVENTS.map((e) => staging.pending(e))), this.mostBytes);
    if (need <= this.current) return false;
    await this.set(need);
    this.highest = Math.max(this.highest, this.current);
    return true;
  }

  /**
   * Writes what the pass committed into the database file, under the most its commits needed (a checkpoint moves
   * the same rows), instead of leaving it to closing the database: that runs under whatever limit is set then
   * (DuckDB's default once an ingest ends: a log of 1.2 GB of plans peaked at 1.45 GB RSS instead of 550 MB).
   */
  async checkpoint(): Promise<void> {
    if (this.highest > this.current) await this.set(this.highest);
    else await this.forOthers();
    // A failed checkpoint invalidates the database until it is opened again (what was committed stays in its
    // write-ahead log): nothing more can run on it, the limit included.
    await this.db.run('CHECKPOINT');
    await this.restore();
  }

  async restore(): Promise<void> {
    if (this.current !== this.baseBytes) await this.set(this.baseBytes);
  }

  private async set(bytes: number): Promise<void> {
    await this.db.run(limitSql(bytes));
    this.current = Math.ceil(bytes / 1e6) * 1e6;
    this.lowered = false;
  }
}

function limitSql(bytes: number): string {
  // A number this code computed, never user input (SET takes no parameters).
  return `SET memory_limit = '${Math.ceil(bytes / 1e6)}MB'`;
}
