/**
 * sparkopt ingest benchmark: `npm run bench` (builds, then runs dist/test/bench/run.js).
 *
 * Inputs, generated from the real log rapids/spark-events-qualification/nds_q72_dataproc_2_2.zstd under
 * $SPARKOPT_CORPUS (default ../shared/eventlogs) and cached in bench-out/logs/ (made again only when missing):
 *   - one app of 100 MB and one of 1 GB (uncompressed, decimal units), each in every codec Spark writes event
 *     logs with: zstd, lz4, snappy and lzf (the issue's targets name zstd and lz4);
 *   - a fleet of 1,000 small apps (~350 KB each, zstd) in one folder, and a re-run of ingest on it unchanged;
 *   - `sparkopt report` of each zstd log's app, from the database its ingest made (its what-if holds every task);
 *   - a Thrift-server-shaped app (zstd): thousands of SQL executions with 20 KB SQL texts and 60 KB plans, an AQE
 *     update each (sql-heavy.ts), ingested alone: its bytes are values DuckDB must hold or move, not tasks.
 * For each input, each in its own fresh Node process (peak RSS is per process, DuckDB's native memory included):
 *   - sparkopt:  node bin/sparkopt.js ingest --db <fresh file> --format json <input>
 *   - floor:     decompress with sparkopt's decoders and count lines (baselines/floor.ts)
 *   - duckdb:    one typed read_ndjson CREATE TABLE AS of the tasks table from a plain copy (baselines/duckdb-json.ts)
 * Wall time runs from spawn to exit. MB/s is decompressed MB (10^6 bytes) per wall second.
 * Results: an aligned table and the targets on stdout, progress on stderr, all numbers as JSON in
 * bench-out/results-<timestamp>.json and bench-out/latest.json.
 *
 * Flags (after `npm run bench --`), each with an environment variable:
 *   --sizes 100,1000   BENCH_SIZES   single-log sizes in MB; `100` alone is the quick check (default 100,1000)
 *   --fleet N          BENCH_FLEET   apps in the fleet (default 1000, or 100 when 1000 is not among the sizes)
 *   --sql N            BENCH_SQL     SQL executions of the Thrift-shaped app (default 4000, or 1000 when 1000 is not
 *                                    among the sizes; 0 leaves it out)
 *   --repeat N         BENCH_REPEAT  measure every input N times, in rounds over all inputs, and keep the median
 *                                    wall time of each (default 1)
 *   --regenerate       BENCH_REGENERATE=1   remake the generated logs even if cached
 * Exit code 1 if a measured process failed or a correctness check failed; missed targets only print FAIL.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expectEqual, parseJson, storedChecks, storedSqlChecks, type Summary } from './checks.js';
import { ensureFleet, type Fleet } from './fleet.js';
import { type LogTemplate, loadTemplate } from './log-template.js';
import { describeMachine } from './machine.js';
import { type Measurement, measure, medianRun } from './measure.js';
import { BENCH_DIST, DB_DIR, LOGS_DIR, MB, OUT, PLAIN_DIR, SOURCE_LOG, SPARKOPT_BIN } from './paths.js';
import { plainCopies, plainCopy, settle, warm } from './plain.js';
import { type Check, type InputResult, evaluateTargets, ratio, renderResults, renderTargets, side, sizeLabel } from './report.js';
import { ensureScaledLog, type ScaledLog } from './scale-log.js';
import { ensureSqlHeavyLog, type SqlHeavyLog } from './sql-heavy.js';
import { OUT_CODECS, type OutCodec } from './spark-writer.js';

interface Options {
  sizes: number[];
  fleet: number;
  sql: number;
  repeat: number;
  regenerate: boolean;
}

function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const arg = args[i]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (args[i + 1] ?? '');
}

function options(): Options {
  const sizes = (flag('sizes') ?? process.env.BENCH_SIZES ?? '100,1000').split(',').map(Number);
  if (sizes.some((s) => !(s > 0))) throw new Error('--sizes takes sizes in MB, e.g. 100 or 100,1000');
  const fleet = Number(flag('fleet') ?? process.env.BENCH_FLEET ?? (sizes.includes(1000) ? 1000 : 100));
  const sql = Number(flag('sql') ?? process.env.BENCH_SQL ?? (sizes.includes(1000) ? 4000 : 1000));
  const repeat = Number(flag('repeat') ?? process.env.BENCH_REPEAT ?? 1);
  const regenerate = process.argv.includes('--regenerate') || process.env.BENCH_REGENERATE === '1';
  return { sizes: [...new Set(sizes)].sort((a, b) => a - b), fleet, sql, repeat, regenerate };
}

const log = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);
const script = (name: string): string => path.join(BENCH_DIST, name);
const removeDb = (file: string): void => ['', '.wal'].forEach((ext) => rmSync(file + ext, { force: true }));

interface Workload {
  id: string;
  label: string;
  kind: 'single' | 'fleet';
  codec: OutCodec;
  sizeMB?: number;
  input: string;
  files: number;
  plainBytes: number;
  compressedBytes: number;
  lines: number;
  taskEnds: number;
  apps: number;
  plain: () => Promise<string>;
}

/** The runs of one input: each round adds one of each, so the three sit side by side in time. */
interface Runs {
  plain: string;
  floor: Measurement[];
  duck: Measurement[];
  ours: Measurement[];
  /** Fleet only: ingest again into the database the fleet run just filled. */
  rerun: Measurement[];
  /** zstd logs only: report the app the ingest just stored. */
  report: Measurement[];
  /** zstd logs only: ingest with every task line through DuckDB's JSON reader (the path before task rows). */
  jsonTasks: Measurement[];
}

/** What DuckDB reads: one plain file, or (a fleet) the folder its glob names. */
function plainFiles(plain: string): string {
  return plain.endsWith('*.ndjson') ? path.dirname(plain) : plain;
}

async function prepareRuns(w: Workload): Promise<Runs> {
  log(`${w.label}: preparing the plain copy for DuckDB (untimed)`);
  const plain = await w.plain();
  await settle([w.input, plainFiles(plain)]);
  return { plain, floor: [], duck: [], ours: [], rerun: [], report: [], jsonTasks: [] };
}

const duckDbFile = (w: Workload): string => path.join(DB_DIR, `duckdb-${w.id}.duckdb`);
const oursDbFile = (w: Workload): string => path.join(DB_DIR, `sparkopt-${w.id}.duckdb`);
const ingestArgs = (w: Workload): string[] => [SPARKOPT_BIN, 'ingest', '--db', oursDbFile(w), '--format', 'json', w.input];
const reportArgs = (w: Workload): string[] => [SPARKOPT_BIN, 'report', '--latest', '--db', oursDbFile(w), '--format', 'json'];
const reportsOn = (w: Workload): boolean => w.kind === 'single' && w.codec === 'zstd';

async function measureRound(w: Workload, runs: Runs, round: string): Promise<void> {
  // Every side reads its input from the page cache (see warm): all of them, or none, would be fair too, but
  // by chance is not.
  log(`${w.label}${round}: floor (decompress + count lines)`);
  await warm([w.input]);
  runs.floor.push(await measure([script('baselines/floor.js'), w.input]));
  log(`${w.label}${round}: DuckDB read_ndjson baseline`);
  removeDb(duckDbFile(w));
  await warm([plainFiles(runs.plain)]);
  runs.duck.push(await measure([script('baselines/duckdb-json.js'), duckDbFile(w), runs.plain]));
  removeDb(duckDbFile(w));
  log(`${w.label}${round}: sparkopt ingest`);
  removeDb(oursDbFile(w));
  await warm([w.input]);
  runs.ours.push(await measure(ingestArgs(w)));
  if (w.kind === 'fleet') {
    log(`${w.label}${round}: sparkopt ingest again, nothing changed`);
    await warm([w.input]);
    runs.rerun.push(await measure(ingestArgs(w)));
  }
  if (reportsOn(w)) {
    log(`${w.label}${round}: sparkopt report of its app`);
    runs.report.push(await measure(reportArgs(w)));
    log(`${w.label}${round}: sparkopt ingest, task lines as JSON`);
    removeDb(oursDbFile(w));
    await warm([w.input]);
    runs.jsonTasks.push(await measure(ingestArgs(w), { SPARKOPT_TASK_LINES: 'json' }));
  }
}

async function workloadResult(w: Workload, runs: Runs): Promise<InputResult> {
  const floorM = medianRun(runs.floor);
  const floor = parseJson<{ bytes: number; lines: number }>(floorM);
  const duckM = medianRun(runs.duck);
  const duck = parseJson<{ rows: number; version: string; threads: number }>(duckM);
  const oursM = medianRun(runs.ours);
  const summary = parseJson<Summary>(oursM);

  const ours = side(oursM, summary?.decompressedBytes ?? 0, summary?.events ?? 0);
  const floorSide = side(floorM, floor?.bytes ?? 0, floor?.lines ?? 0);
  // DuckDB reads every line of the same plain bytes: its events/s counts all of them, as ours does.
  const duckSide = side(duckM, duck ? w.plainBytes : 0, duck ? w.lines : 0);
  const checks: Check[] = [
    expectEqual('sparkopt exit code', oursM.exitCode, 0),
    expectEqual('sparkopt failures', summary?.failures.length, 0),
    expectEqual('sparkopt bad lines', summary?.badLines, 0),
    expectEqual('sparkopt incomplete apps', summary?.incomplete, 0),
    expectEqual('sparkopt events = lines', summary?.events, w.lines),
    expectEqual('sparkopt decompressed bytes', summary?.decompressedBytes, w.plainBytes),
    expectEqual('floor lines', floor?.lines, w.lines),
    expectEqual('floor bytes', floor?.bytes, w.plainBytes),
    expectEqual('duckdb task rows', duck?.rows, w.taskEnds),
    ...(oursM.exitCode === 0 ? await storedChecks(oursDbFile(w), w) : []),
  ];
  return {
    id: w.id, label: w.label, kind: w.kind, codec: w.codec, ...(w.sizeMB ? { sizeMB: w.sizeMB } : {}), files: w.files,
    plainMB: w.plainBytes / MB, compressedMB: Math.round((w.compressedBytes / MB) * 10) / 10, events: w.lines,
    ours, floor: floorSide, duckdb: { ...duckSide, ...(duck ? { version: duck.version, threads: duck.threads } : {}) },
    vsDuckdb: ratio(ours.mbPerS, duckSide.mbPerS), floorOverOurs: ratio(floorSide.mbPerS, ours.mbPerS),
    ...(summary ? { oursElapsedS: summary.elapsedMs / 1000 } : {}), checks,
  };
}

/** Ingest again into the fleet's database: every log is unchanged, so this is the cost of finding that out. */
function rerunResult(fleet: Workload, runs: Runs): InputResult {
  const m = medianRun(runs.rerun);
  const summary = parseJson<Summary>(m);
  return {
    id: `${fleet.id}-rerun`, label: `${fleet.label}, re-run`, kind: 'rerun', codec: fleet.codec, files: fleet.files,
    plainMB: 0, compressedMB: Math.round((fleet.compressedBytes / MB) * 10) / 10, events: summary?.events ?? 0,
    ours: side(m, summary?.decompressedBytes ?? 0, summary?.events ?? 0), vsDuckdb: null, floorOverOurs: null,
    ...(summary ? { oursElapsedS: summary.elapsedMs / 1000 } : {}),
    checks: [
      expectEqual('sparkopt exit code', m.exitCode, 0),
      expectEqual('logs read again', summary?.logs, 0),
      expectEqual('logs found unchanged', summary?.unchanged, fleet.apps),
    ],
  };
}

/** Report the app a zstd log's ingest stored: every task goes through the what-if, so this is its cost. */
function reportResult(w: Workload, runs: Runs): InputResult {
  const m = medianRun(runs.report);
  const report = parseJson<{ summary: { tasks: number }; whatIf: { scenarios: unknown[] } | null }>(m);
  return {
    id: `${w.id}-report`, label: `${w.label}, report`, kind: 'report', codec: w.codec, files: 1, plainMB: 0,
    compressedMB: Math.round((w.compressedBytes / MB) * 10) / 10, events: 0, ours: side(m, 0, 0), vsDuckdb: null, floorOverOurs: null,
    checks: [
      expectEqual('sparkopt exit code', m.exitCode, 0),
      expectEqual('report tasks = TaskEnd lines', report?.summary.tasks, w.taskEnds),
      expectEqual('what-if replayed', (report?.whatIf?.scenarios.length ?? 0) > 0, true),
    ],
  };
}

/** The same ingest with task lines parsed by DuckDB's JSON reader instead of read into rows in WebAssembly. */
function jsonTasksResult(w: Workload, runs: Runs): InputResult {
  const m = medianRun(runs.jsonTasks);
  const summary = parseJson<Summary>(m);
  return {
    id: `${w.id}-json-tasks`, label: `${w.label}, task lines as JSON`, kind: 'json-tasks', codec: w.codec, files: 1,
    plainMB: w.plainBytes / MB, compressedMB: Math.round((w.compressedBytes / MB) * 10) / 10, events: w.lines,
    ours: side(m, summary?.decompressedBytes ?? 0, summary?.events ?? 0), vsDuckdb: null, floorOverOurs: null,
    ...(summary ? { oursElapsedS: summary.elapsedMs / 1000 } : {}),
    checks: [expectEqual('sparkopt exit code', m.exitCode, 0), expectEqual('sparkopt events = lines', summary?.events, w.lines)],
  };
}

/** Each execution's SQL text and plans: a BI tool's query and a wide one's plan, as a Thrift server logs them. */
const SQL_TEXT_CHARS = 20_000;
const SQL_PLAN_CHARS = 60_000;

const sqlHeavyDb = (heavy: SqlHeavyLog): string => path.join(DB_DIR, `sparkopt-${heavy.name}.duckdb`);

async function measureSqlHeavy(heavy: SqlHeavyLog, runs: Measurement[], round: string): Promise<void> {
  log(`${sqlHeavyLabel(heavy)}${round}: sparkopt ingest`);
  removeDb(sqlHeavyDb(heavy));
  await warm([heavy.file]);
  runs.push(await measure([SPARKOPT_BIN, 'ingest', '--db', sqlHeavyDb(heavy), '--format', 'json', heavy.file]));
}

const sqlHeavyLabel = (heavy: SqlHeavyLog): string => `Thrift-shaped app, ${heavy.executions} SQL`;

/** Every execution whole (texts and final plans to the character), in one pass under the first memory limit. */
async function sqlHeavyResult(heavy: SqlHeavyLog, runs: Measurement[]): Promise<InputResult> {
  const m = medianRun(runs);
  const summary = parseJson<Summary>(m);
  const checks: Check[] = [
    expectEqual('sparkopt exit code', m.exitCode, 0),
    expectEqual('sparkopt events = lines', summary?.events, heavy.lines),
    expectEqual('memory retries', summary?.memoryRetries, 0),
  ];
  if (m.exitCode === 0) checks.push(...(await storedSqlChecks(sqlHeavyDb(heavy), heavy)));
  return {
    id: heavy.name, label: sqlHeavyLabel(heavy), kind: 'sql-heavy', codec: 'zstd', files: 1, plainMB: heavy.plainBytes / MB,
    compressedMB: Math.round((heavy.compressedBytes / MB) * 10) / 10, events: heavy.lines,
    ours: side(m, summary?.decompressedBytes ?? 0, summary?.events ?? 0), vsDuckdb: null, floorOverOurs: null,
    ...(summary ? { oursElapsedS: summary.elapsedMs / 1000 } : {}), checks,
  };
}

function singleWorkloads(scaled: ScaledLog, sizeMB: number): Workload[] {
  return OUT_CODECS.map((codec) => ({
    id: `${scaled.name}-${codec}`, label: `${sizeLabel(sizeMB)} ${codec}`, kind: 'single' as const, codec, sizeMB,
    input: scaled.files[codec], files: 1, plainBytes: scaled.plainBytes, compressedBytes: scaled.compressedBytes[codec],
    lines: scaled.lines, taskEnds: scaled.taskEnds, apps: 1,
    // One plain copy serves every codec: the same log, decoded from zstd (the runs' checks count what each gives).
    plain: () => plainCopy(scaled.files.zstd, path.join(PLAIN_DIR, `${scaled.name}.ndjson`)),
  }));
}

function fleetWorkload(fleet: Fleet): Workload {
  return {
    id: fleet.name, label: `fleet ${fleet.apps} apps zstd`, kind: 'fleet', codec: 'zstd', input: fleet.dir,
    files: fleet.apps, plainBytes: fleet.plainBytes, compressedBytes: fleet.compressedBytes, lines: fleet.lines,
    taskEnds: fleet.taskEnds, apps: fleet.apps, plain: () => plainCopies(fleet.dir, path.join(PLAIN_DIR, fleet.name)),
  };
}

async function main(): Promise<void> {
  const opts = options();
  const startedAt = new Date();
  const machine = describeMachine();
  process.stdout.write(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGB} GB memory, node ${machine.node}, ` +
      `${machine.platform} ${machine.kernel}; sparkopt ${machine.sparkopt}, @duckdb/node-api ${machine.duckdbNodeApi}\n`,
  );
  process.stdout.write(`mode: ${opts.sizes.includes(1000) ? 'full' : 'quick'} (sizes ${opts.sizes.join(', ')} MB, fleet ${opts.fleet} apps, repeat ${opts.repeat})\n\n`);

  if (opts.regenerate) rmSync(LOGS_DIR, { recursive: true, force: true });
  mkdirSync(DB_DIR, { recursive: true });
  let template: Promise<LogTemplate> | undefined;
  const getTemplate = (): Promise<LogTemplate> => (template ??= loadTemplate(SOURCE_LOG));

  const generation: Record<string, number> = {};
  const generated: (ScaledLog | Fleet)[] = [];
  const workloads: Workload[] = [];
  for (const size of opts.sizes) {
    log(`${sizeLabel(size)} log: generating if missing`);
    const { log: scaled, generatedMs } = await ensureScaledLog(getTemplate, size * MB, `scaled-${size}mb`, LOGS_DIR);
    if (generatedMs !== undefined) generation[scaled.name] = generatedMs / 1000;
    generated.push(scaled);
    workloads.push(...singleWorkloads(scaled, size));
  }
  log(`fleet of ${opts.fleet} apps: generating if missing`);
  const { fleet, generatedMs } = await ensureFleet(getTemplate, opts.fleet, `fleet-${opts.fleet}`, LOGS_DIR);
  if (generatedMs !== undefined) generation[fleet.name] = generatedMs / 1000;
  generated.push(fleet);
  const fleetW = fleetWorkload(fleet);
  workloads.push(fleetW);
  let sqlHeavy: SqlHeavyLog | undefined;
  if (opts.sql > 0) {
    log(`Thrift-shaped app of ${opts.sql} SQL executions: generating if missing`);
    const made = await ensureSqlHeavyLog(getTemplate, opts.sql, SQL_PLAN_CHARS, SQL_TEXT_CHARS, LOGS_DIR);
    if (made.generatedMs !== undefined) generation[made.log.name] = made.generatedMs / 1000;
    sqlHeavy = made.log;
  }

  // Rounds, not repeats in a row: the VM's speed drifts by minutes, and every input should see the same drift
  // (lz4 against zstd, the fleet against the single log), while each input's baselines run right next to it.
  const runs = new Map<Workload, Runs>();
  for (const w of workloads) runs.set(w, await prepareRuns(w));
  const sqlHeavyRuns: Measurement[] = [];
  for (let round = 1; round <= opts.repeat; round++) {
    const label = opts.repeat > 1 ? ` (round ${round} of ${opts.repeat})` : '';
    for (const w of workloads) await measureRound(w, runs.get(w)!, label);
    if (sqlHeavy) await measureSqlHeavy(sqlHeavy, sqlHeavyRuns, label);
  }
  const inputs: InputResult[] = [];
  for (const w of workloads) inputs.push(await workloadResult(w, runs.get(w)!));
  inputs.push(rerunResult(fleetW, runs.get(fleetW)!));
  for (const w of workloads.filter(reportsOn)) inputs.push(reportResult(w, runs.get(w)!), jsonTasksResult(w, runs.get(w)!));
  if (sqlHeavy) inputs.push(await sqlHeavyResult(sqlHeavy, sqlHeavyRuns));
  const targets = evaluateTargets(inputs);

  process.stdout.write(`${renderResults(inputs)}\n\n${renderTargets(targets)}\n`);
  const failedChecks = inputs.flatMap((i) => i.checks.filter((c) => !c.ok).map((c) => `${i.label}: ${c.name}: ${c.detail}`));
  const errors = inputs.flatMap((i) => [i.ours, i.floor, i.duckdb].flatMap((s) => (s?.error ? [`${i.label}: ${s.error}`] : [])));
  if (failedChecks.length + errors.length > 0) process.stdout.write(`\nproblems:\n${[...errors, ...failedChecks].map((p) => `  ${p}`).join('\n')}\n`);

  const results = {
    schema: 1, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(),
    mode: opts.sizes.includes(1000) ? 'full' : 'quick', options: opts, machine,
    source: SOURCE_LOG, generated: sqlHeavy ? [...generated, sqlHeavy] : generated, generatedSeconds: generation, inputs, targets,
  };
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = path.join(OUT, `results-${stamp}.json`);
  const json = JSON.stringify(results, null, 2) + '\n';
  writeFileSync(file, json);
  writeFileSync(path.join(OUT, 'latest.json'), json);
  process.stdout.write(`\nresults: ${file} (also ${path.join(OUT, 'latest.json')})\n`);
  if (failedChecks.length + errors.length > 0) process.exitCode = 1;
}

await main();
