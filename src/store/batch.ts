import type { RowBuffer } from '../events/row-buffer.js';
import { type Db, inList } from './db.js';
import { badLineCountsSql, badLinesSql, extractSql, joinsLargeValues, nodeRowsSql } from './extract.js';
import { type IngestIssue, locateStagedLine } from './issues.js';
import type { MemoryLimit } from './memory-limit.js';
import { type StagedFile, Staging } from './staging.js';
import { TaskRows } from './task-rows.js';
import type { Table } from './spec.js';
import { apps, eventTables, ingestErrors, ingestedFiles, perAppTables, tasks } from './tables/index.js';

export const TASK_END = tasks.events[0]!;
const LIGHT_TABLES = eventTables.filter((t) => t !== tasks);
const NODE_TABLES = [apps, ingestErrors, ingestedFiles];
/** Task lines go to DuckDB in pieces this big (of slimmed JSON), so memory stays flat however long the log is. */
const TASK_FLUSH_BYTES = 64 * 1024 * 1024;
/** The first piece is smaller, so that DuckDB starts working early instead of waiting for Node. */
const FIRST_TASK_FLUSH_BYTES = 16 * 1024 * 1024;
/** How far staging may run ahead of a busy DuckDB, in flush sizes, before Node waits. */
const MAX_TASK_BACKLOG = 3;
/**
 * Full row buffers (of 16,384 rows) Node may fill ahead of a busy DuckDB before it waits. DuckDB takes a buffer in
 * 40-90 ms; when its row groups were 122,880 rows, it compressed and wrote each in 240-270 ms, in which Node read
 * about 90,000 rows: with a backlog of 8,192 rows Node waited 200 ms each time (measured on the 1 GB log: 65,536
 * rows of backlog 0.14-0.32 s faster, peak RSS 10-15 MB more). With the 16,384-row groups a writable database has
 * now (see db.ts), one buffer of backlog while DuckDB inserts (two kept spare) peaked 182-187 MB against 185-198
 * but was 5 % slower in seven of eight interleaved pairs; two measured as four.
 */
const MAX_ROW_BACKLOG = 4;

/** One app being read into a batch. */
export interface Slot {
  /** 1-based: the `_s` of its staged lines. */
  slot: number;
  logPath: string;
  appKey?: string;
  completed: boolean;
  /** Reading failed: nothing of this app is stored. */
  failed: boolean;
  /** Its data was not stored because a complete copy of the same app was (or is in this batch). */
  keptStoredCopy: boolean;
  partPaths: string[];
  /** Global line number at which each part starts (line numbers count across parts). */
  partStartLines: number[];
  /** Bad lines DuckDB found at commit (Node's own findings are already in the app's staged rows). */
  issues: IngestIssue[];
}

/**
 * Many apps, loaded into DuckDB together in one transaction: per-query costs are paid once per batch, so a
 * fleet of small logs ingests as fast as one big log. Only a batch of one app writes before the app is read
 * whole (its task rows, a buffer at a time, so memory stays flat); if that app then fails, the transaction holds
 * nothing else and rolls back.
 */
export class Batch {
  readonly staging = new Staging();
  readonly slots: Slot[] = [];
  private inTransaction = false;
  private pendingTasks: Promise<void> = Promise.resolve();
  private tasksBusy = false;
  /** Task lines have already gone to DuckDB in this batch. */
  private tasksFlushed = false;
  /** Task lines read into rows; the others are staged as JSON. */
  readonly taskRows = new TaskRows();
  /** Per table of CLOCKS, the rowid of the first row this batch adds: rows of earlier batches are below it. */
  private firstRowids: number[] = [];
  /** `after` has finished: until then task rows wait, as they do for a busy DuckDB, while Node reads on. */
  private afterDone = false;

  /**
   * `after`: what must finish before this batch touches the database (the previous batch's commit; for the
   * first, the ingest's setup).
   */
  constructor(
    private readonly db: Db,
    private readonly limit: MemoryLimit,
    private readonly after: Promise<void> = Promise.resolve(),
  ) {
    after.then(() => (this.afterDone = true), () => undefined);
  }

  openSlot(logPath: string): Slot {
    const slot: Slot = {
      slot: this.slots.length + 1, logPath, completed: false, failed: false, keptStoredCopy: false, partPaths: [], partStartLines: [], issues: [],
    };
    this.slots.push(slot);
    return slot;
  }

  get stagedBytes(): number {
    return this.staging.totalBytes() + this.taskRows.lineBytes;
  }

  /**
   * Hands the task rows read so far (each full buffer of them) and the task lines staged as JSON (in 64 MiB
   * pieces) to DuckDB, which inserts them on its own thread while Node reads on. While DuckDB is busy, Node keeps
   * reading (up to a bound) instead of waiting, so neither side idles. Only a batch of one app does this (see the
   * class comment); the others insert at commit.
   */
  async flushTasks(): Promise<void> {
    if (!this.tasksDue()) return;
    const linesDue = this.staging.bytesOf(TASK_END) >= this.taskFlushBytes;
    await this.after;
    await this.pendingTasks;
    const keys = this.dataKeys();
    await this.begin(keys);
    const file = linesDue ? await this.staging.take(TASK_END) : undefined;
    const rows = this.taskRows.take(false);
    this.tasksBusy = true;
    this.tasksFlushed = true;
    this.pendingTasks = this.insertTasks(file, rows, keys).finally(() => {
      this.tasksBusy = false;
    });
    this.pendingTasks.catch(() => undefined);
  }

  /** Whether flushTasks has task rows or lines to hand on now. */
  tasksDue(): boolean {
    if (this.slots.length !== 1) return false;
    const lines = this.staging.bytesOf(TASK_END);
    const fullRows = this.taskRows.fullBuffers;
    if (lines < this.taskFlushBytes && fullRows === 0) return false;
    const waiting = this.tasksBusy || !this.afterDone;
    return !(waiting && lines < MAX_TASK_BACKLOG * this.taskFlushBytes && fullRows < MAX_ROW_BACKLOG);
  }

  /** The staged task lines worth a piece of their own. */
  private get taskFlushBytes(): number {
    return this.tasksFlushed ? TASK_FLUSH_BYTES : FIRST_TASK_FLUSH_BYTES;
  }

  async failSlot(slot: Slot): Promise<void> {
    slot.failed = true;
    if (this.inTransaction) await this.rollback();
  }

  /** Stores every app of the batch, or none. */
  async commit(): Promise<void> {
    let raised = false;
    try {
      await this.after;
      await this.pendingTasks;
      raised = await this.limit.raiseFor(this.staging);
      await this.resolveDuplicates();
      const keys = this.dataKeys();
      if (this.inTransaction && keys[0] === null) await this.rollback();
      await this.begin(keys);
      await this.insertTasks(await this.staging.take(TASK_END), this.taskRows.take(true), keys);
      await this.limit.forOthers();
      await this.limit.keepingFreedMemory(() => this.insertLightTables(keys));
      await this.insertNodeRows(keys);
      await this.recordDuckDbIssues();
      await this.db.run(LAST_EVENT_SQL, [keys, ...this.firstRowids]);
      await this.db.run('COMMIT');
      this.inTransaction = false;
    } catch (error) {
      await this.rollback();
      throw error;
    } finally {
      this.staging.remove();
      this.taskRows.discard();
      // After a fatal error DuckDB takes no statement; the error that got here is the one to report.
      if (raised) await this.limit.restore().catch(() => undefined);
    }
  }

  async abort(): Promise<void> {
    await this.after.catch(() => undefined);
    await this.pendingTasks.catch(() => undefined);
    await this.rollback();
    this.staging.remove();
    this.taskRows.discard();
  }

  private async rollback(): Promise<void> {
    if (this.inTransaction) await this.db.run('ROLLBACK').catch(() => undefined);
    this.inTransaction = false;
    await this.db.run(UNPIN_JOIN_SIDES).catch(() => undefined);
    await this.limit.forOthers().catch(() => undefined);
  }

  /** Opens the transaction and removes the previous rows of the apps about to be written. */
  private async begin(keys: (string | null)[]): Promise<void> {
    if (this.inTransaction) return;
    await this.db.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    const [first] = await this.db.all<Record<string, number>>(FIRST_NEW_ROWIDS_SQL);
    this.firstRowids = CLOCKS.map(([t]) => first![t]!);
    // Deleting scans whole tables: only apps stored before are worth it (new logs, the common case, are not).
    const stored = (await this.db.all<{ app_key: string }>(`SELECT app_key FROM apps WHERE app_key IN ${inList()}`, [keys])).map((r) => r.app_key);
    if (stored.length > 0) {
      for (const table of perAppTables) await this.db.run(`DELETE FROM ${table.name} WHERE app_key IN ${inList()}`, [stored]);
    }
    const paths = this.slots.filter((s) => !s.failed).flatMap((s) => s.partPaths);
    await this.db.run(`DELETE FROM ingested_files WHERE path IN ${inList()}`, [paths]);
  }

  /** App keys by slot for data rows: NULL for failed apps and for partial copies of apps stored whole. */
  private dataKeys(): (string | null)[] {
    return this.slots.map((s) => (s.failed || s.keptStoredCopy ? null : s.appKey ?? null));
  }

  /** App keys by slot for ingested_files: a kept partial copy is still recorded, so it is skipped next time. */
  private fileKeys(): (string | null)[] {
    return this.slots.map((s) => (s.failed ? null : s.appKey ?? null));
  }

  /**
   * One copy per app: a partial copy never replaces a complete one, whether stored earlier or in this batch;
   * between equals, the one read last wins.
   */
  private async resolveDuplicates(): Promise<void> {
    const live = this.slots.filter((s) => !s.failed && s.appKey);
    const stored = await this.db.all<{ app_key: string }>(`SELECT app_key FROM apps WHERE completed AND app_key IN ${inList()}`, [
      live.filter((s) => !s.completed).map((s) => s.appKey!),
    ]);
    const storedComplete = new Set(stored.map((r) => r.app_key));
    const winner = new Map<string, Slot>();
    for (const slot of live) {
      if (!slot.completed && storedComplete.has(slot.appKey!)) slot.keptStoredCopy = true;
      const best = winner.get(slot.appKey!);
      if (!best || slot.completed || !best.completed) winner.set(slot.appKey!, slot);
    }
    for (const slot of live) if (winner.get(slot.appKey!) !== slot) slot.keptStoredCopy = true;
  }

  private async insertTasks(file: StagedFile | undefined, rows: RowBuffer[], keys: (string | null)[]): Promise<void> {
    await this.taskRows.insert(this.db, this.limit, rows, keys);
    if (!file) return;
    await this.limit.forOthers();
    await this.insertTaskLines(file, keys);
  }

  private async insertTaskLines(file: StagedFile, keys: (string | null)[]): Promise<void> {
    const inserted = await this.db.run(extractSql(tasks, [TASK_END]), [keys, file.path]);
    const expected = [...file.linesPerSlot].reduce((n, [slot, lines]) => n + (keys[slot - 1] ? lines : 0), 0);
    // One task row per readable line: only when the counts differ is there a bad line to look for.
    if (inserted !== expected) await this.findBadLines(tasks, file);
    await this.staging.discard(file);
  }

  private async insertLightTables(keys: (string | null)[]): Promise<void> {
    const files = new Map<string, StagedFile>();
    for (const event of new Set(LIGHT_TABLES.flatMap((t) => t.events))) {
      const file = await this.staging.take(event);
      if (file) files.set(event, file);
    }
    for (const table of LIGHT_TABLES) {
      const events = table.events.filter((e) => files.has(e));
      if (events.length === 0) continue;
      const joinLarge = joinsLargeValues(table, (event) => files.get(event)?.bytes ?? 0);
      // Only for this statement: others (spark_properties in a fleet) ran out of memory with it. A failed
      // statement leaves the reset to the rollback (an aborted transaction takes no other statement).
      if (joinLarge) await this.db.run(PIN_JOIN_SIDES);
      await this.db.run(extractSql(table, events, joinLarge), [keys, ...events.map((e) => files.get(e)!.path)]);
      if (joinLarge) await this.db.run(UNPIN_JOIN_SIDES);
    }
    // Each event file once, through the first table that reads it; only a file with a bad line is looked into.
    const reads = [...files].map(([event, file]) => ({ table: LIGHT_TABLES.find((t) => t.events.includes(event))!, event, file }));
    if (reads.length === 0) return;
    const counts = await this.db.all<{ file: number; bad: number }>(badLineCountsSql(reads), reads.map((r) => r.file.path));
    for (const { file, bad } of counts) if (bad > 0) await this.findBadLines(reads[file]!.table, reads[file]!.file);
  }

  private async insertNodeRows(keys: (string | null)[]): Promise<void> {
    for (const table of NODE_TABLES) {
      const file = await this.staging.take(table.name);
      if (file) await this.db.run(nodeRowsSql(table), [table === ingestedFiles ? this.fileKeys() : keys, file.path]);
    }
  }

  private async findBadLines(table: Table, file: StagedFile): Promise<void> {
    const bad = await this.db.all<{ pos: number }>(badLinesSql(table, file.kind), [file.path]);
    for (const { pos } of bad) {
      const { slot, issue } = await locateStagedLine(file.path, pos, this.slots);
      if (slot && !slot.failed) slot.issues.push(issue);
    }
  }

  private async recordDuckDbIssues(): Promise<void> {
    for (const slot of this.slots.filter((s) => s.issues.length > 0 && this.dataKeys()[s.slot - 1])) {
      for (const i of slot.issues) {
        await this.db.run('INSERT INTO ingest_errors VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)', [slot.appKey!, i.path, i.lineNo, i.kind, i.reason]);
      }
      await this.db.run('UPDATE apps SET bad_lines = bad_lines + ? WHERE app_key = ?', [slot.issues.length, slot.appKey!]);
    }
  }
}

/** How extract SQL that joins large values keeps the merged rows on a join's build side (see joinsLargeValues). */
const PIN_JOIN_SIDES = "SET disabled_optimizers = 'build_side_probe_side'";
const UNPIN_JOIN_SIDES = 'RESET disabled_optimizers';

/** Per table, the latest clock a row holds: an app's last event is the latest of them over its rows. */
const CLOCKS: readonly [table: string, clock: string][] = [
  // A running app's last clock may be a launch or a submission: a long task or stage has no end yet.
  ['tasks', 'greatest(launch_time, finish_time)'],
  ['stages', 'greatest(submit_time, complete_time)'],
  ['jobs', 'greatest(submit_time, end_time)'],
  ['executors', 'greatest(add_time, remove_time)'],
  ['sql_executions', 'greatest(start_time, end_time)'],
];
const FIRST_NEW_ROWIDS_SQL = `SELECT ${CLOCKS.map(([t]) => `(SELECT coalesce(max(rowid) + 1, 0) FROM ${t}) AS ${t}`).join(', ')}`;

/**
 * The latest clock of each app of the batch; an unfinished app's duration runs up to it. $1 = app keys,
 * $2... = the first rowid of the batch's rows in each table of CLOCKS: only the batch's rows are read, however
 * big the database (a filter by app key scanned every table whole).
 */
const LAST_EVENT_SQL = `
UPDATE apps SET last_event_time = c.t, duration_ms = coalesce(apps.duration_ms, epoch_ms(c.t) - epoch_ms(apps.start_time))
FROM (
  SELECT app_key, max(t) AS t FROM (
    ${CLOCKS.map(([table, clock], i) => `SELECT app_key, max(${clock}) AS t FROM ${table} WHERE rowid >= $${i + 2} GROUP BY ALL`).join('\n    UNION ALL ')}
    UNION ALL SELECT app_key, greatest(start_time, end_time) FROM apps WHERE app_key IN ${inList('$1')}
  ) GROUP BY app_key
) c WHERE apps.app_key = c.app_key`;
