// Results: their JSON shape (kept stable so runs can be compared), the pass/fail targets of the issue, and the
// aligned text tables printed to stdout.
import { MB } from './paths.js';
import type { Measurement } from './measure.js';
import type { OutCodec } from './spark-writer.js';

/** One measured process: sparkopt or a baseline. */
export interface Side {
  wallS: number;
  /** Decompressed MB per wall second (null when nothing was decompressed, as in the re-run). */
  mbPerS: number | null;
  eventsPerS: number | null;
  /** Peak RSS in MB (10^6 bytes) of the child process, native memory included. */
  rssMB: number | null;
  cpuS: number | null;
  /** Wall seconds of each run when measurements are repeated (the median one is reported above). */
  runsWallS?: number[];
  ok: boolean;
  error?: string;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface InputResult {
  id: string;
  label: string;
  kind: 'single' | 'fleet' | 'rerun' | 'report' | 'sql-heavy' | 'json-tasks';
  codec: OutCodec;
  /** Nominal plain size in MB for single logs (100, 1000). */
  sizeMB?: number;
  files: number;
  plainMB: number;
  compressedMB: number;
  events: number;
  ours: Side;
  floor?: Side;
  /** DuckDB's version and thread count are recorded: both move this baseline. */
  duckdb?: Side & { version?: string; threads?: number };
  /** sparkopt MB/s / DuckDB MB/s: above 1 means sparkopt is faster. */
  vsDuckdb: number | null;
  /** floor MB/s / sparkopt MB/s: how many times slower than just decompressing. */
  floorOverOurs: number | null;
  /** sparkopt's own `elapsedMs` from its JSON summary (no process start-up). */
  oursElapsedS?: number;
  checks: Check[];
}

export interface Target {
  name: string;
  input: string;
  value: string;
  required: string;
  /** null: not measured in this run (e.g. quick mode). */
  pass: boolean | null;
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function side(m: Measurement, bytes: number, events: number): Side {
  const s = m.wallMs / 1000;
  const failed = m.exitCode !== 0;
  return {
    wallS: round(s, 3),
    mbPerS: bytes > 0 && !failed ? round(bytes / MB / s, 1) : null,
    eventsPerS: events > 0 && !failed ? Math.round(events / s) : null,
    rssMB: m.maxRssKiB === null ? null : round((m.maxRssKiB * 1024) / MB, 1),
    cpuS: m.cpuMs === null ? null : round(m.cpuMs / 1000, 2),
    ...(m.runsWallMs && m.runsWallMs.length > 1 ? { runsWallS: m.runsWallMs.map((w) => round(w / 1000, 3)) } : {}),
    ok: !failed,
    ...(failed ? { error: `exit ${m.exitCode}: ${m.stderr.trim().split('\n').slice(-3).join(' | ')}` } : {}),
  };
}

export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a && b ? round(a / b, 2) : null;
}

// ---- targets ----

const fmt = (x: number | null | undefined, unit = ''): string => (x === null || x === undefined ? 'n/a' : `${x}${unit}`);
const check = (value: number | null | undefined, ok: (v: number) => boolean): boolean | null =>
  value === null || value === undefined ? null : ok(value);

/**
 * The targets. They are set on the 1 GB logs; in quick mode (100 MB only) the same checks run on the
 * 100 MB logs and say so in the input column, and the 1 GB-vs-100 MB memory growth check is not available.
 */
export function evaluateTargets(inputs: InputResult[]): Target[] {
  const singles = inputs.filter((i) => i.kind === 'single');
  const sizes = [...new Set(singles.map((i) => i.sizeMB!))].sort((a, b) => a - b);
  // Bigger logs (e.g. --sizes 100,1000,3000, to see memory stay flat) are measured but do not move the targets.
  const big = sizes.includes(1000) ? 1000 : sizes[sizes.length - 1];
  const small = sizes[0];
  const get = (size: number | undefined, codec: OutCodec) => singles.find((i) => i.sizeMB === size && i.codec === codec);
  const bigLabel = big === undefined ? 'n/a' : `${sizeLabel(big)}${big < 1000 ? ' (quick: target is on 1 GB)' : ''}`;
  const zstd = get(big, 'zstd');
  const lz4 = get(big, 'lz4');
  const fleet = inputs.find((i) => i.kind === 'fleet');
  const rerun = inputs.find((i) => i.kind === 'rerun');
  const targets: Target[] = [];

  targets.push({ name: 'ingest zstd >= 1.0x DuckDB baseline', input: bigLabel, value: fmt(zstd?.vsDuckdb, 'x'), required: '>= 1.0x', pass: check(zstd?.vsDuckdb, (v) => v >= 1.0) });
  targets.push({ name: '  stretch: >= 1.5x DuckDB baseline', input: bigLabel, value: fmt(zstd?.vsDuckdb, 'x'), required: '>= 1.5x', pass: check(zstd?.vsDuckdb, (v) => v >= 1.5) });
  targets.push({ name: 'ingest zstd within 4x of the floor', input: bigLabel, value: fmt(zstd?.floorOverOurs, 'x'), required: 'floor/ours <= 4', pass: check(zstd?.floorOverOurs, (v) => v <= 4) });
  const lz4VsZstd = ratio(lz4?.ours.mbPerS, zstd?.ours.mbPerS);
  targets.push({ name: 'lz4 speed >= 0.8x zstd speed', input: bigLabel, value: fmt(lz4VsZstd, 'x'), required: '>= 0.8x', pass: check(lz4VsZstd, (v) => v >= 0.8) });
  for (const codec of ['zstd', 'lz4'] as const) {
    const rss = get(big, codec)?.ours.rssMB;
    targets.push({ name: `peak RSS <= 400 MB (${codec})`, input: bigLabel, value: fmt(rss, ' MB'), required: '<= 400 MB', pass: check(rss, (v) => v <= 400) });
  }
  for (const codec of ['zstd', 'lz4'] as const) {
    const growth = big !== small ? ratio(get(big, codec)?.ours.rssMB, get(small, codec)?.ours.rssMB) : null;
    targets.push({
      name: `peak RSS 1 GB <= 1.3x 100 MB (${codec})`, input: big !== small ? `${sizeLabel(big!)} vs ${sizeLabel(small!)}` : 'needs both sizes',
      value: fmt(growth, 'x'), required: '<= 1.3x', pass: check(growth, (v) => v <= 1.3),
    });
  }
  const fleetShare = ratio(fleet?.ours.mbPerS, zstd?.ours.mbPerS);
  targets.push({
    name: 'fleet >= 80% of single-file MB/s', input: fleet ? `${fleet.label} vs ${zstd?.label ?? 'n/a'}` : 'n/a',
    value: fleetShare === null ? 'n/a' : `${Math.round(fleetShare * 100)}%`, required: '>= 80%', pass: check(fleetShare, (v) => v >= 0.8),
  });
  targets.push({ name: 're-run on the unchanged fleet <= 2 s', input: rerun?.label ?? 'n/a', value: fmt(rerun?.ours.wallS, ' s'), required: '<= 2 s', pass: check(rerun?.ours.wallS, (v) => v <= 2) });
  return targets;
}

export function sizeLabel(mb: number): string {
  return mb >= 1000 ? `${mb / 1000} GB` : `${mb} MB`;
}

// ---- text tables ----

/** Columns left-aligned when `left` is set, right-aligned (numbers) otherwise. */
export function textTable(headers: string[], rows: string[][], left: Set<number> = new Set([0])): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (left.has(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const num = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? '-' : x.toFixed(digits));
const kilo = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : `${Math.round(x / 1000)}k`);

export function renderResults(inputs: InputResult[]): string {
  const headers = [
    'input', 'plain MB', 'events', 'wall s', 'MB/s', 'events/s', 'RSS MB', 'CPU s',
    'floor MB/s', 'floor RSS', 'duckdb MB/s', 'duckdb RSS', 'x duckdb', 'floor/ours', 'checks',
  ];
  const rows = inputs.map((i) => [
    i.label, num(i.plainMB), String(i.events), num(i.ours.wallS, 2), i.ours.ok ? num(i.ours.mbPerS) : 'FAILED',
    kilo(i.ours.eventsPerS), num(i.ours.rssMB, 0), num(i.ours.cpuS), num(i.floor?.mbPerS), num(i.floor?.rssMB, 0),
    num(i.duckdb?.mbPerS), num(i.duckdb?.rssMB, 0), num(i.vsDuckdb, 2), num(i.floorOverOurs, 2),
    i.checks.every((c) => c.ok) ? 'ok' : `${i.checks.filter((c) => !c.ok).length} failed`,
  ]);
  return textTable(headers, rows);
}

export function renderTargets(targets: Target[]): string {
  const verdict = (t: Target): string => (t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'FAIL');
  return textTable(['target', 'input', 'measured', 'required', 'result'], targets.map((t) => [t.name, t.input, t.value, t.required, verdict(t)]), new Set([0, 1]));
}
