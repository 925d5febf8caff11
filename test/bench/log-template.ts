// A real event log cut into header / body / ApplicationEnd, with every id and clock the generators shift
// located once. Rendering a copy is then string concatenation: no JSON.parse, no regex per generated line,
// which keeps generating a 1 GB log well under a minute.
import { decodeFile } from './decode-file.js';

export type Kind = 'job' | 'stage' | 'task' | 'sql' | 'clock';
export type Shift = Record<Kind, number>;
export const NO_SHIFT: Shift = { job: 0, stage: 0, task: 0, sql: 0, clock: 0 };

/** One line split around its shiftable numbers: parts[0] v[0] parts[1] v[1] ... parts[n]. */
export interface Line {
  event: string;
  parts: string[];
  kinds: Kind[];
  values: number[];
  /** Length of the line as read (latin1 chars = bytes), newline included. */
  bytes: number;
  /** The first Job ID / Stage ID / Task ID / executionId of the line, to follow what is running. */
  job?: number;
  stage?: number;
  task?: number;
  sql?: number;
}

export interface LogTemplate {
  appId: string;
  header: Line[];
  body: Line[];
  end: Line;
  /** ApplicationEnd - ApplicationStart: the clock shift between two copies of the body. */
  spanMs: number;
  /** Largest id of each kind in the body: copy k adds k * (max + 1). */
  maxId: Record<Exclude<Kind, 'clock'>, number>;
}

// Scalars: ids and clocks. Quoted ids: the SQL execution in job properties. Lists: a job's `Stage IDs` and a
// stage's `Parent IDs` (a stage's list follows its `RDD Info` array, hence `],`; an RDD's own `Parent IDs`
// follows its Callsite string and holds RDD ids, which are left alone, as are accumulator ids).
// Keys inside JSON strings (plan descriptions) are escaped as \" and never match.
const FIELDS =
  /"(Job ID|Stage ID|Task ID|executionId|rootExecutionId|Launch Time|Finish Time|Getting Result Time|Submission Time|Completion Time|Timestamp|time)":(\d+)|"spark\.sql\.execution(?:\.root)?\.id":"(\d+)"|("Stage IDs":\[|\],"Parent IDs":\[)([\d,]+)\]/g;

const KIND_OF_KEY: Record<string, Kind> = {
  'Job ID': 'job', 'Stage ID': 'stage', 'Task ID': 'task', executionId: 'sql', rootExecutionId: 'sql',
  'Launch Time': 'clock', 'Finish Time': 'clock', 'Getting Result Time': 'clock', 'Submission Time': 'clock',
  'Completion Time': 'clock', Timestamp: 'clock', time: 'clock',
};

// Events kept once at the top of a generated log: the app and its cluster, not its work.
const HEADER_EVENTS = new Set([
  'SparkListenerLogStart', 'SparkListenerResourceProfileAdded', 'SparkListenerEnvironmentUpdate',
  'SparkListenerApplicationStart', 'SparkListenerExecutorAdded', 'SparkListenerBlockManagerAdded',
  'org.apache.spark.scheduler.SparkListenerMiscellaneousProcessAdded',
]);
const APP_END = 'SparkListenerApplicationEnd';

export function parseLine(text: string): Line {
  const event = /^\{"Event":"([^"]+)"/.exec(text)?.[1] ?? '';
  const parts: string[] = [];
  const kinds: Kind[] = [];
  const values: number[] = [];
  const line: Line = { event, parts, kinds, values, bytes: text.length + 1 };
  let last = 0;
  const take = (start: number, digits: string, kind: Kind): void => {
    const value = Number(digits);
    // Clocks Spark never set (Finish Time 0 of a running task) must stay 0.
    if (kind === 'clock' && value <= 0) return;
    parts.push(text.slice(last, start));
    kinds.push(kind);
    values.push(value);
    last = start + digits.length;
    if (kind === 'job') line.job ??= value;
    if (kind === 'stage') line.stage ??= value;
    if (kind === 'task') line.task ??= value;
    if (kind === 'sql') line.sql ??= value;
  };
  for (const m of text.matchAll(FIELDS)) {
    const at = m.index;
    if (m[1] !== undefined) take(at + m[0].length - m[2]!.length, m[2]!, KIND_OF_KEY[m[1]]!);
    else if (m[3] !== undefined) take(at + m[0].length - m[3].length - 1, m[3], 'sql');
    else {
      let pos = at + m[4]!.length;
      for (const id of m[5]!.split(',')) {
        if (id !== '') take(pos, id, 'stage');
        pos += id.length + 1;
      }
    }
  }
  parts.push(text.slice(last));
  return line;
}

/** The line with every number shifted, without its newline; `onClock` sees each shifted clock. */
export function render(line: Line, shift: Shift, onClock?: (ms: number) => void): string {
  const { parts, kinds, values } = line;
  let out = parts[0]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! + shift[kinds[i]!];
    if (onClock && kinds[i] === 'clock') onClock(v);
    out += v + parts[i + 1]!;
  }
  return out;
}

/** Decodes a log with sparkopt's own decoders, as latin1 so that bytes round-trip exactly. */
export async function readLogText(file: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of decodeFile(file)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('latin1');
}

export async function loadTemplate(file: string): Promise<LogTemplate> {
  const lines = (await readLogText(file)).split('\n').filter((l) => l.length > 0).map(parseLine);
  let headerEnd = 0;
  while (headerEnd < lines.length && HEADER_EVENTS.has(lines[headerEnd]!.event)) headerEnd++;
  const endAt = lines.findIndex((l) => l.event === APP_END);
  if (endAt < 0) throw new Error(`${file}: no ApplicationEnd, cannot repeat its body`);
  const header = lines.slice(0, headerEnd);
  const body = lines.slice(headerEnd, endAt);
  const end = lines[endAt]!;
  const appStart = header.find((l) => l.event === 'SparkListenerApplicationStart');
  if (!appStart) throw new Error(`${file}: no ApplicationStart in the header`);
  const startMs = appStart.values[appStart.kinds.indexOf('clock')]!;
  const endMs = end.values[end.kinds.indexOf('clock')]!;
  const appId = /"App ID":"([^"]+)"/.exec(render(appStart, NO_SHIFT))?.[1] ?? 'unknown';
  const maxId = { job: 0, stage: 0, task: 0, sql: 0 };
  for (const line of body) {
    line.kinds.forEach((k, i) => {
      if (k !== 'clock') maxId[k] = Math.max(maxId[k], line.values[i]!);
    });
  }
  return { appId, header, body, end, spanMs: endMs - startMs, maxId };
}

export type OpenWork = { jobs: Set<number>; stages: Set<number>; tasks: Set<number>; sql: Set<number> };

/** Follows which jobs, stages, tasks and SQL executions are running, so logs are only cut between them. */
export function track(open: OpenWork, line: Line): void {
  const e = line.event;
  if (e === 'SparkListenerTaskStart') open.tasks.add(line.task!);
  else if (e === 'SparkListenerTaskEnd') open.tasks.delete(line.task!);
  else if (e === 'SparkListenerJobStart') open.jobs.add(line.job!);
  else if (e === 'SparkListenerJobEnd') open.jobs.delete(line.job!);
  else if (e === 'SparkListenerStageSubmitted') open.stages.add(line.stage!);
  else if (e === 'SparkListenerStageCompleted') open.stages.delete(line.stage!);
  else if (e.endsWith('.SparkListenerSQLExecutionStart')) open.sql.add(line.sql!);
  else if (e.endsWith('.SparkListenerSQLExecutionEnd')) open.sql.delete(line.sql!);
}

export const newOpenWork = (): OpenWork => ({ jobs: new Set(), stages: new Set(), tasks: new Set(), sql: new Set() });
/** Nothing running: no job, stage, task or SQL execution. */
export const isIdle = (open: OpenWork): boolean => noJobs(open) && open.sql.size === 0;
/** No job, stage or task running (a SQL execution may be, between the jobs of one query). */
export const noJobs = (open: OpenWork): boolean => open.jobs.size + open.stages.size + open.tasks.size === 0;
