import { existsSync, readFileSync } from 'node:fs';
import { corpusPath } from '../corpus.js';

/** The History Server conformance corpus, inside the shared event-log corpus. */
export const HISTORY_DIR = ['spark-history'];

export type CaseKind = 'appList' | 'app' | 'jobs' | 'job' | 'stages' | 'stage' | 'taskList' | 'executors' | 'other';

/** One row of CASES.tsv, with its REST path taken apart. */
export interface SparkCase {
  name: string;
  restPath: string;
  expectationFile: string;
  appId: string;
  /** Logs (files or folders) the History Server read for this case, relative to the corpus. */
  logs: string[];
  kind: CaseKind;
  /** The attempt named in the path (`applications/<app>/<attempt>/...`). */
  attemptId?: string;
  /** Path segments after the app (and attempt), e.g. ['stages', '1', '0']. */
  resource: string[];
  query: URLSearchParams;
  /** Golden file from the 2019 Spark code (legacy-2019), not the 4.x line. */
  legacy: boolean;
}

const RESOURCES = new Set(['jobs', 'stages', 'executors', 'allexecutors', 'storage', 'environment', 'allmiscellaneousprocess', 'logs']);

export function historyPath(...parts: string[]): string {
  return corpusPath(...HISTORY_DIR, ...parts);
}

/** CASES.tsv; empty when the corpus is not on this machine (describeCorpus reports that). */
export function loadCases(): SparkCase[] {
  const file = historyPath('CASES.tsv');
  if (!existsSync(file)) return [];
  const [header, ...lines] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const columns = header!.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    const cell = (name: string) => cells[columns.indexOf(name)] ?? '';
    return parseCase(cell('case_name'), cell('rest_path'), cell('expectation_file'), cell('app_id'), cell('event_log_path'));
  });
}

function parseCase(name: string, restPath: string, expectationFile: string, appId: string, logPath: string): SparkCase {
  const [pathPart, queryPart] = restPath.split('?');
  const segments = pathPart!.split('/').filter((s) => s !== '');
  const base = { name, restPath, expectationFile, appId, logs: logPath.split(';'), query: new URLSearchParams(queryPart ?? ''), legacy: name.includes('@legacy-2019') };
  if (segments.length === 1) return { ...base, kind: 'appList', resource: [] };
  let rest = segments.slice(2);
  let attemptId: string | undefined;
  if (rest.length > 0 && !RESOURCES.has(rest[0]!)) {
    attemptId = rest[0];
    rest = rest.slice(1);
  }
  return { ...base, kind: kindOf(rest), attemptId, resource: rest };
}

function kindOf(rest: string[]): CaseKind {
  const [what, id, attempt, sub] = rest;
  if (what === undefined) return 'app';
  if (what === 'jobs') return id === undefined ? 'jobs' : 'job';
  if (what === 'executors') return 'executors';
  if (what !== 'stages') return 'other';
  if (id === undefined) return 'stages';
  if (sub === 'taskList') return 'taskList';
  if (sub !== undefined) return 'other'; // taskSummary: quantiles over task metrics
  return attempt === undefined ? 'stages' : 'stage';
}

export function golden(c: SparkCase): unknown {
  return JSON.parse(readFileSync(historyPath(c.expectationFile), 'utf8'));
}

/** Spark's REST dates look like `2015-02-03T16:43:05.829GMT`; compared as epoch ms. */
export function sparkTime(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  const ms = Date.parse(String(value).replace(/GMT$/, 'Z'));
  if (Number.isNaN(ms)) throw new Error(`not a Spark REST date: ${String(value)}`);
  return ms;
}

/**
 * Spark's SimpleDateParam: `yyyy-MM-dd'T'HH:mm:ss.SSSz` (here always GMT), else `yyyy-MM-dd` as a GMT day.
 */
export function dateParam(value: string): number {
  const full = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})GMT$/.exec(value);
  const ms = full ? Date.parse(`${full[1]}Z`) : /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms)) throw new Error(`unsupported date parameter in CASES.tsv: ${value}`);
  return ms;
}
