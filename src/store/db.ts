import duckdb, { type DuckDBType, type DuckDBValue, type DuckDBValueConverter, type JS } from '@duckdb/node-api';
/** The C API under it: a chunk's vectors are filled from typed arrays in one copy each (the node-api's own
 * vectors are written value by value). */
import bindings from '@duckdb/node-bindings';
import { existsSync } from 'node:fs';
import { FatalError, UsageError } from '../errors.js';
import { sqlString } from './spec.js';

/** Rows DuckDB takes from a table function per call: `runWithRows`' rows are asked for from multiples of it. */
export const VECTOR_SIZE = 2048;

export type Row = Record<string, unknown>;
/** Statement parameters; a JS array becomes a LIST(VARCHAR) (app keys by slot, file paths). */
export type Params = (DuckDBValue | (string | null)[])[];

/** Rows Node holds as BIGINT columns laid out as DuckDB's vectors are, handed to DuckDB by a table function. */
export interface BigIntRows {
  readonly rows: number;
  /** The 8-byte values of rows `from` to `from + count` of column `index`. */
  values(index: number, from: number, count: number): Uint8Array;
  /** Their validity bitmap (`from` a multiple of 64): bit i set when row `from + i` is not NULL. */
  validity(index: number, from: number, count: number): Uint8Array;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** How long to wait for another sparkopt process to release the database. */
  lockWaitMs?: number;
}

const LOCK_RETRY_MS = 200;

/**
 * Rows per row group of a database opened for writing (DuckDB's default is 122,880). DuckDB holds the rows a
 * transaction appends uncompressed until a row group is full, then compresses and writes it: on the 1 GB log a
 * row group of task rows grew to about 80 MB of memory, and compressing it held Node's reading up for 240 ms.
 * Row groups of 16,384 rows, each written as soon as it is full, keep that at 25-45 MB.
 */
const WRITE_ROW_GROUP_ROWS = 16_384;
/**
 * Block size of a database file sparkopt creates (DuckDB's default is 256 KiB). Each column of a row group being
 * filled holds blocks of this size, whatever its rows: the 45 columns of 16,384 task rows held 25-48 MB at
 * 256 KiB and 8-17 MB at 64 KiB (1 GB log's peak RSS 230 -> 205 MB, no slower; its file 14.4 -> 12.1 MB; its
 * report the same, as fast). A file keeps the block size it was made with.
 */
export const NEW_FILE_BLOCK_BYTES = 64 * 1024;
/** The name the database file is attached under when opened for writing. */
const WRITE_ALIAS = 'sparkopt';

/** Statements of any Db still running in DuckDB. */
let inFlight = 0;

/**
 * Lets DuckDB's pending calls into Node run (undefined when no statement is running): a finished statement's
 * result, and a table function's call for rows, wait for the event loop's next turn, and Node reads a file's
 * chunks in promise callbacks, which all run before it. Without a turn, a statement waited for the next read
 * from disk, or for a whole batch of small files read synchronously (a fleet's first batch waited 0.5 s for the
 * new database's tables).
 */
export function yieldToDuckDb(): Promise<void> | undefined {
  return inFlight > 0 ? new Promise((resolve) => setImmediate(resolve)) : undefined;
}

/** `work`, counted in `inFlight` while it runs. */
async function counted<T>(work: Promise<T>): Promise<T> {
  inFlight++;
  try {
    return await work;
  } finally {
    inFlight--;
  }
}

/**
 * `column IN ${inList()}`: the rows whose value is in the list given as parameter `param`, by a semi-join on a
 * hash of the list, where `list_contains(?, column)` searched the list for each row (a batch lists ~450 apps;
 * with 200,000 stored: 6-9 ms against 165-290 ms a statement).
 */
export function inList(param = '?'): string {
  return `(SELECT unnest(${param}::VARCHAR[]))`;
}

/** The only door to DuckDB: parameterised statements in, plain JS rows out. */
export class Db {
  private readonly served = new Map<string, BigIntRows | undefined>();

  private constructor(
    private readonly instance: duckdb.DuckDBInstance,
    private readonly connection: duckdb.DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(path: string, options: OpenOptions = {}): Promise<Db> {
    if (options.readOnly && path !== ':memory:' && !existsSync(path)) {
      throw new UsageError(`no database at ${path}: run \`sparkopt ingest <logs>\` first, or pass --db`);
    }
    const deadline = Date.now() + (options.lockWaitMs ?? 3000);
    for (;;) {
      try {
        const [instance, connection] = options.readOnly ? await openForReading(path) : await openForWriting(path);
        return new Db(instance, connection, path);
      } catch (error) {
        const message = (error as Error).message;
        if (!/lock/i.test(message)) throw new FatalError(`cannot open database ${path}: ${firstLine(message)}`);
        if (Date.now() >= deadline) {
          throw new FatalError(`database ${path} is locked by another sparkopt process (${lockHolder(message)}); try again when it finishes`);
        }
        await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
      }
    }
  }

  /** Runs a statement; returns the number of rows it inserted, updated or deleted. */
  async run(sql: string, params: Params = []): Promise<number> {
    const result = await counted(this.connection.run(sql, ...bind(params)));
    return Number(result.rowsChanged);
  }

  async all<T extends Row = Row>(sql: string, params: Params = []): Promise<T[]> {
    const reader = await counted(this.connection.runAndReadAll(sql, ...bind(params)));
    return reader.convertRowObjects(toPlain) as T[];
  }

  /**
   * A query's rows streamed a chunk (about 2,048 rows) at a time, as plain JS columns: for results of millions of
   * rows, which neither DuckDB nor JS then holds whole a second time.
   */
  async eachChunk(sql: string, params: Params, onChunk: (columns: JS[][], rowCount: number) => void): Promise<void> {
    const result = await this.connection.stream(sql, ...bind(params));
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      onChunk(chunk.convertColumns(toPlain) as JS[][], chunk.rowCount);
    }
  }

  /** Rows plus column names, for commands that print arbitrary queries. */
  async query(sql: string, params: Params = []): Promise<{ columns: string[]; rows: Row[] }> {
    const reader = await counted(this.connection.runAndReadAll(sql, ...bind(params)));
    return { columns: reader.columnNames(), rows: reader.convertRowObjects(toPlain) };
  }

  /**
   * Makes table function `name()`, which returns the rows given to `runWithRows` as BIGINT columns named
   * `columns`. Outside any transaction: one that rolls back takes the function with it.
   */
  defineRowSource(name: string, columns: readonly string[]): void {
    if (this.served.has(name)) return;
    this.served.set(name, undefined);
    const fn = duckdb.DuckDBTableFunction.create({
      name,
      bindFunction: (bind) => {
        for (const column of columns) bind.addResultColumn(column, duckdb.BIGINT);
      },
      initFunction: (init) => init.setInitData({ next: 0 }),
      mainFunction: (info, output) => {
        const state = info.initData as { next: number };
        const rows = this.served.get(name);
        const count = rows ? Math.min(VECTOR_SIZE, rows.rows - state.next) : 0;
        output.rowCount = count;
        if (count === 0) return;
        columns.forEach((_, c) => {
          const vector = bindings.data_chunk_get_vector(output.chunk, c);
          const values = rows!.values(c, state.next, count);
          bindings.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, values.byteOffset, values.byteLength);
          const validity = rows!.validity(c, state.next, count);
          bindings.vector_ensure_validity_writable(vector);
          bindings.copy_data_to_vector_validity(vector, 0, validity.buffer as ArrayBuffer, validity.byteOffset, validity.byteLength);
        });
        state.next += count;
      },
    });
    this.connection.registerTableFunction(fn);
  }

  /**
   * Runs `sql` with table function `name()` (see defineRowSource) returning `rows`. DuckDB calls it on its own
   * thread, and the call runs on Node's main thread when that is free: each column's values and validity are
   * copied into DuckDB's vector in one copy each.
   */
  async runWithRows(name: string, rows: BigIntRows, sql: string, params: Params = []): Promise<number> {
    if (!this.served.has(name)) throw new Error(`no row source ${name}: defineRowSource first`);
    this.served.set(name, rows);
    try {
      return await this.run(sql, params);
    } finally {
      this.served.set(name, undefined);
    }
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

// Types are given only for lists (DuckDB cannot infer an empty list's type); the others are inferred.
function bind(params: Params): [DuckDBValue[], DuckDBType[]] {
  const values = params.map((p) => (Array.isArray(p) ? duckdb.listValue(p) : p));
  const types = params.map((p) => (Array.isArray(p) ? duckdb.LIST(duckdb.VARCHAR) : undefined)) as DuckDBType[];
  return [values, types];
}

/**
 * DuckDB values as plain JS, converted once while the rows are built (a second pass over row objects doubled a
 * big report's memory): what would be a bigint becomes a number, or an error if it cannot be exact.
 */
const toPlain: DuckDBValueConverter<JS> = (value, type, converter) => {
  const js = duckdb.JSDuckDBValueConverter(value, type, converter);
  if (typeof js !== 'bigint') return js;
  if (js > BigInt(Number.MAX_SAFE_INTEGER) || js < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new FatalError(`value ${js} exceeds 2^53 and cannot be represented exactly`);
  }
  return Number(js);
};

// Ingest sets its own bounds (threads, memory_limit: see runIngest); queries get DuckDB's defaults.
const CONFIG = { preserve_insertion_order: 'true' };

async function openForReading(path: string): Promise<[duckdb.DuckDBInstance, duckdb.DuckDBConnection]> {
  const instance = await duckdb.DuckDBInstance.create(path, { ...CONFIG, access_mode: 'READ_ONLY' });
  return [instance, await instance.connect()];
}

/**
 * The database file attached to an in-memory DuckDB, as only ATTACH sets the row group size (see
 * WRITE_ROW_GROUP_ROWS); DuckDB writes each full row group at once instead of five together.
 */
async function openForWriting(path: string): Promise<[duckdb.DuckDBInstance, duckdb.DuckDBConnection]> {
  // Spilled data goes beside the file, as when DuckDB opens the file itself (not into `.tmp` in the working folder).
  const config: Record<string, string> = { ...CONFIG, write_buffer_row_group_count: '1' };
  if (path !== ':memory:') config.temp_directory = `${path}.tmp`;
  const instance = await duckdb.DuckDBInstance.create(':memory:', config);
  try {
    const connection = await instance.connect();
    const options = [`ROW_GROUP_SIZE ${WRITE_ROW_GROUP_ROWS}`];
    // DuckDB refuses a block size other than the one an existing file was made with.
    if (isNewFile(path)) options.push(`BLOCK_SIZE ${NEW_FILE_BLOCK_BYTES}`);
    // ATTACH takes no parameters: the path goes in as a quoted string literal.
    await connection.run(`ATTACH ${sqlString(path)} AS ${WRITE_ALIAS} (${options.join(', ')})`);
    await connection.run(`USE ${WRITE_ALIAS}`);
    return [instance, connection];
  } catch (error) {
    instance.closeSync();
    throw error;
  }
}

function isNewFile(path: string): boolean {
  return path === ':memory:' || !existsSync(path);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!;
}

function lockHolder(message: string): string {
  const pid = /PID (\d+)/.exec(message);
  return pid ? `PID ${pid[1]}` : 'lock held';
}
