import { existsSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { pushTo } from '../collections.js';
import { InputError } from '../errors.js';

export interface LogPart {
  path: string;
  size: number;
  mtimeMs: number;
}

export type LogLayout = 'single' | 'rolling' | 'databricks' | 'spark1';

/** One application attempt's log: one file, or the ordered parts of a rolling, Databricks or Spark 1.x folder. */
export interface LogSource {
  layout: LogLayout;
  /** The file, or the folder holding the parts. */
  logPath: string;
  parts: LogPart[];
  /** Indexes of a rolling log's parts that are not there (Spark numbers them from 1, or from the last compacted one). */
  missingParts?: number[];
}

export interface Discovery {
  sources: LogSource[];
  /** Files found in folders that are not event logs (markers, checksums, READMEs). */
  skipped: string[];
  /** Inputs that do not exist or cannot be listed. */
  failures: InputError[];
}

const ROLLING_DIR = /^eventlog_v2_/;
const ROLLING_PART = /^events_(\d+)_/;
const DATABRICKS_PART = /^eventlog(-\d{4}-\d{2}-\d{2}--\d{2}-\d{2}(\.gz)?)?$/;
const SPARK1_LOG = /^EVENT_LOG_(\d+)$/;
/** A rolling log with a wild gap in its numbering lists this many of the missing parts. */
const MAX_MISSING_LISTED = 100;
// Spark writes none of these as event logs; they sit beside logs in real folders.
const NOT_A_LOG = /(^\.|^_|\.crc$|^appstatus_|^README|\.(md|txt|tsv|csv|json|html|py|scala|sh|xml|yaml|yml|duckdb|wal|ts|js|mjs|cjs|map)$|^SPARK_VERSION_|^COMPRESSION_CODEC_|^APPLICATION_COMPLETE$)/i;
const GLOB_CHARS = /[*?[\]{}]/;

/** Turns command-line paths (files, folders searched recursively, globs) into logs, one per app attempt. */
export async function discoverLogs(inputs: readonly string[]): Promise<Discovery> {
  const found = new Map<string, LogPart>();
  const explicit = new Set<string>();
  const failures: InputError[] = [];
  for (const input of inputs) {
    const stats = statOrUndefined(input);
    if (stats?.isFile()) {
      const part = toPart(input, stats);
      found.set(part.path, part);
      explicit.add(part.path);
    } else if (stats?.isDirectory()) {
      const parts = await listFolder(input);
      if (parts.length === 0 || parts.every((p) => NOT_A_LOG.test(path.basename(p.path)))) {
        failures.push(new InputError(input, `no Spark event logs in this folder (${parts.length} other file${parts.length === 1 ? '' : 's'})`));
      }
      for (const part of parts) found.set(part.path, part);
    } else if (!stats && GLOB_CHARS.test(input)) {
      const matches = await (await fastGlob())(input, { onlyFiles: false, absolute: true, dot: false, suppressErrors: true });
      if (matches.length === 0) failures.push(new InputError(input, 'no file matches this pattern'));
      for (const match of matches) {
        const s = statOrUndefined(match);
        if (s?.isFile()) found.set(realpathSync(match), toPart(match, s));
        else if (s?.isDirectory()) for (const part of await listFolder(match)) found.set(part.path, part);
      }
    } else {
      failures.push(new InputError(input, 'no such file or directory'));
    }
  }
  return { ...groupIntoLogs([...found.values()], explicit), failures };
}

/**
 * fast-glob, loaded only for a folder or a pattern: loading it took 27-37 ms, a tenth of the start-up of an
 * ingest of one file.
 */
async function fastGlob(): Promise<typeof import('fast-glob')> {
  return (await import('fast-glob')).default;
}

async function listFolder(dir: string): Promise<LogPart[]> {
  const fg = await fastGlob();
  const entries = await fg('**/*', { cwd: dir, onlyFiles: true, absolute: true, dot: true, stats: true, suppressErrors: true, followSymbolicLinks: true });
  // A file can go between listing and resolving it (a running app's log renamed): then it is not there.
  return entries.flatMap((e) => {
    try {
      return [toPart(e.path, e.stats!)];
    } catch {
      return [];
    }
  });
}

function toPart(file: string, stats: Stats): LogPart {
  return { path: realpathSync(file), size: stats.size, mtimeMs: Math.trunc(stats.mtimeMs) };
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function groupIntoLogs(parts: LogPart[], explicit: Set<string>): Omit<Discovery, 'failures'> {
  const byFolder = new Map<string, LogPart[]>();
  for (const part of parts) pushTo(byFolder, path.dirname(part.path), part);
  const sources: LogSource[] = [];
  const skipped: string[] = [];
  for (const [dir, files] of byFolder) {
    const names = new Map(files.map((f) => [path.basename(f.path), f]));
    const isSpark1 = [...names.keys()].some((n) => n.startsWith('SPARK_VERSION_')) && [...names.keys()].some((n) => SPARK1_LOG.test(n));
    const isDatabricks = names.has('eventlog') || [...names.keys()].some((n) => /^eventlog-\d{4}-/.test(n));
    const layout: LogLayout | undefined = ROLLING_DIR.test(path.basename(dir)) ? 'rolling' : isSpark1 ? 'spark1' : isDatabricks ? 'databricks' : undefined;
    const grouped: LogPart[] = [];
    for (const [name, file] of names) {
      if (layout && isPartOf(layout, name)) grouped.push(file);
      else if ((NOT_A_LOG.test(name) || isNothingYet(file)) && !explicit.has(file.path)) skipped.push(file.path);
      else sources.push({ layout: 'single', logPath: file.path, parts: [file] });
    }
    if (layout && grouped.length > 0) {
      const ordered = orderParts(layout, grouped);
      const missingParts = layout === 'rolling' ? missingIndexes(ordered) : [];
      sources.push({ layout, logPath: dir, parts: ordered, ...(missingParts.length > 0 ? { missingParts } : {}) });
    }
  }
  sources.sort((a, b) => a.logPath.localeCompare(b.logPath));
  return { sources, skipped: skipped.sort() };
}

function rollingIndex(file: string): number {
  return Number(ROLLING_PART.exec(path.basename(file))![1]);
}

/** Indexes missing from a rolling log's parts: they run from 1, or from the compacted file that starts them. */
function missingIndexes(parts: LogPart[]): number[] {
  const missing: number[] = [];
  let expected = parts[0]!.path.endsWith('.compact') ? rollingIndex(parts[0]!.path) : 1;
  for (const index of parts.map((p) => rollingIndex(p.path))) {
    for (; expected < index && missing.length < MAX_MISSING_LISTED; expected++) missing.push(expected);
    expected = Math.max(expected, index + 1);
  }
  return missing;
}

/** A running app's log before its first write: nothing to read yet, and no error. */
function isNothingYet(file: LogPart): boolean {
  return file.size === 0 && file.path.endsWith(IN_PROGRESS);
}

const IN_PROGRESS = '.inprogress';

/**
 * The log as it is now. Spark renames a running app's log (`app.inprogress` to `app`) when the app ends, which
 * can happen between finding the log and reading it: then the completed file is the log, and holds all the
 * other did. Any other log is returned as it is (a file gone for another reason fails when it is read).
 */
export function currentSource(source: LogSource): LogSource {
  const [part] = source.parts;
  if (source.layout !== 'single' || !part?.path.endsWith(IN_PROGRESS)) return source;
  const completed = part.path.slice(0, -IN_PROGRESS.length);
  if (existsSync(part.path) || !existsSync(completed)) return source;
  try {
    return { ...source, logPath: completed, parts: [toPart(completed, statSync(completed))] };
  } catch {
    return source;
  }
}

function isPartOf(layout: LogLayout, name: string): boolean {
  if (layout === 'rolling') return ROLLING_PART.test(name);
  if (layout === 'databricks') return DATABRICKS_PART.test(name);
  return SPARK1_LOG.test(name);
}

/** Rolling parts by index (from the last compacted one); Databricks rolled parts by the time in their name, then the current `eventlog`. */
function orderParts(layout: LogLayout, parts: LogPart[]): LogPart[] {
  const rank = (p: LogPart): [number, string] => {
    const name = path.basename(p.path);
    if (layout === 'rolling') return [rollingIndex(p.path), name];
    if (layout === 'spark1') return [Number(SPARK1_LOG.exec(name)![1]), name];
    return [name === 'eventlog' ? 1 : 0, name];
  };
  const sorted = [...parts].sort((a, b) => {
    const [ra, na] = rank(a);
    const [rb, nb] = rank(b);
    return ra - rb || na.localeCompare(nb);
  });
  // Spark compacts the parts up to N into `events_N_….compact`, then deletes them: like Spark's reader, start at
  // the last compacted file (a part whose delete failed is inside it already).
  const compact = layout === 'rolling' ? sorted.filter((p) => p.path.endsWith('.compact')).pop() : undefined;
  return compact ? [compact, ...sorted.filter((p) => rank(p)[0] > rank(compact)[0])] : sorted;
}
