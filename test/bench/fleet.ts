// A fleet of small apps, as a history server folder of many short jobs: each app is the real log's header
// (with its own app id) plus a slice of its body starting at a job boundary, ids renumbered from 0 and clocks
// moved to its own hour. Once a slice reaches its byte budget nothing new starts: only the events ending the
// tasks, stages, jobs and SQL executions still running are kept, so every app is whole and ends with an
// ApplicationEnd (a stage may end with fewer tasks than it announced, as when Spark's listener bus drops events).
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeZstd } from '../../fixtures/encode/zstd.js';
import { cachedInput } from './cached-input.js';
import { type Kind, type Line, type LogTemplate, type OpenWork, type Shift, isIdle, newOpenWork, noJobs, render, track } from './log-template.js';

/** Body bytes per app; with the ~105 KB header an app is ~350 KB uncompressed. */
const BODY_BUDGET_BYTES = 250_000;
const APP_SPACING_MS = 3_600_000;
/** YARN-style ids of a made-up cluster, so they never collide with the source app's id. */
const CLUSTER_TS = '1700000000000';

export interface Fleet {
  name: string;
  dir: string;
  apps: number;
  plainBytes: number;
  compressedBytes: number;
  lines: number;
  taskEnds: number;
}

function closesOpenWork(open: OpenWork, l: Line): boolean {
  if (l.event === 'SparkListenerTaskEnd') return open.tasks.has(l.task!);
  if (l.event === 'SparkListenerStageCompleted') return open.stages.has(l.stage!);
  if (l.event === 'SparkListenerJobEnd') return open.jobs.has(l.job!);
  if (l.event.endsWith('.SparkListenerSQLExecutionEnd')) return open.sql.has(l.sql!);
  return false;
}

const valuesOf = (l: Line, kind: Kind): number[] => l.values.filter((_, i) => l.kinds[i] === kind);

/** Smallest value of that kind in the lines (a loop: spreading 100k values into Math.min overflows the stack). */
function minOf(lines: Line[], kind: Kind): number | undefined {
  let min: number | undefined;
  for (const l of lines) for (const v of valuesOf(l, kind)) if (min === undefined || v < min) min = v;
  return min;
}

/** Where an app's slice may begin: a JobStart with no job, stage or task running; plus the SQL executions open there. */
interface SliceStart {
  at: number;
  sqlStarts: number[];
}

function sliceStarts(t: LogTemplate): SliceStart[] {
  const open = newOpenWork();
  const sqlStartAt = new Map<number, number>();
  const starts: SliceStart[] = [];
  t.body.forEach((line, i) => {
    if (line.event === 'SparkListenerJobStart' && noJobs(open)) starts.push({ at: i, sqlStarts: [...open.sql].map((id) => sqlStartAt.get(id)!) });
    if (line.event.endsWith('.SparkListenerSQLExecutionStart')) sqlStartAt.set(line.sql!, i);
    track(open, line);
  });
  return starts;
}

/**
 * Body line indexes of one app: the start events of the SQL executions already running, then lines from the
 * JobStart on. A task is charged its TaskEnd's bytes when it starts, so a slice ends near its budget even when
 * its TaskEnds come after a stage's burst of TaskStarts.
 */
function slice(t: LogTemplate, start: SliceStart, taskEndBytes: Map<number, number>): number[] {
  const chosen = [...start.sqlStarts];
  const open = newOpenWork();
  for (const at of chosen) track(open, t.body[at]!);
  let bytes = 0;
  for (let i = start.at; i < t.body.length; i++) {
    const line = t.body[i]!;
    if (bytes >= BODY_BUDGET_BYTES) {
      if (isIdle(open)) break;
      if (!closesOpenWork(open, line)) continue;
    }
    chosen.push(i);
    track(open, line);
    if (line.event === 'SparkListenerTaskStart') bytes += line.bytes + (taskEndBytes.get(line.task!) ?? 0);
    else if (line.event !== 'SparkListenerTaskEnd') bytes += line.bytes;
  }
  return chosen;
}

function appText(t: LogTemplate, index: number, lines: Line[], appId: string, bodyStart: number): { text: string; taskEnds: number } {
  const appClock = index * APP_SPACING_MS;
  // Ids from 0 in every app; the slice starts when the source body started, in the app's own hour.
  const fromZero = (kind: Kind): number => -(minOf(lines, kind) ?? 0);
  const shift: Shift = {
    job: fromZero('job'), stage: fromZero('stage'), task: fromZero('task'), sql: fromZero('sql'),
    clock: appClock - ((minOf(lines, 'clock') ?? bodyStart) - bodyStart),
  };
  const header = { job: 0, stage: 0, task: 0, sql: 0, clock: appClock };
  let lastClock = 0;
  const out: string[] = t.header.map((l) => render(l, header).replaceAll(t.appId, appId));
  let taskEnds = 0;
  for (const l of lines) {
    const text = render(l, shift, (ms) => (lastClock = Math.max(lastClock, ms)));
    out.push(text.includes(t.appId) ? text.replaceAll(t.appId, appId) : text);
    if (l.event === 'SparkListenerTaskEnd') taskEnds++;
  }
  const endClock = valuesOf(t.end, 'clock')[0]!;
  out.push(render(t.end, { ...header, clock: lastClock + 1000 - endClock }));
  return { text: out.join('\n') + '\n', taskEnds };
}

export function generateFleet(t: LogTemplate, apps: number, name: string, dir: string): Fleet {
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const taskEndBytes = new Map(t.body.flatMap((l) => (l.event === 'SparkListenerTaskEnd' ? [[l.task!, l.bytes] as const] : [])));
  const slices = sliceStarts(t).map((s) => slice(t, s, taskEndBytes).map((i) => t.body[i]!));
  const bodyStart = minOf(t.body, 'clock') ?? 0;
  const fleet: Fleet = { name, dir, apps, plainBytes: 0, compressedBytes: 0, lines: 0, taskEnds: 0 };
  for (let i = 0; i < apps; i++) {
    const appId = `application_${CLUSTER_TS}_${String(i + 1).padStart(4, '0')}`;
    const lines = slices[i % slices.length]!;
    const { text, taskEnds } = appText(t, i, lines, appId, bodyStart);
    const plain = Buffer.from(text, 'latin1');
    const file = encodeZstd(plain);
    writeFileSync(path.join(tmp, `${appId}.zstd`), file);
    fleet.plainBytes += plain.length;
    fleet.compressedBytes += file.length;
    fleet.lines += t.header.length + lines.length + 1;
    fleet.taskEnds += taskEnds;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return fleet;
}

/** The cached fleet of that many apps, generated when missing. */
export async function ensureFleet(
  template: () => Promise<LogTemplate>, apps: number, name: string, parent: string,
): Promise<{ fleet: Fleet; generatedMs?: number }> {
  const dir = path.join(parent, name);
  const generate = async () => generateFleet(await template(), apps, name, dir);
  const { made, generatedMs } = await cachedInput(parent, name, () => existsSync(dir), generate);
  return { fleet: made, generatedMs };
}
