import { pushTo } from '../collections.js';
import type { SimInput, SimJob, SimStage, SimTask } from './what-if-types.js';

/**
 * The app's structure as the what-if replays it: job groups (jobs overlapping in time), the stage attempts that
 * ran in each and what each waits for; and Sparklens' critical path over it.
 */

/** One stage attempt of a job group. */
export interface StageNode {
  stageId: number;
  attempt: number;
  /** Task durations in their original launch order. */
  durations: number[];
  /** For each task, the position of the failed attempt it had to wait for (a retry), or -1. */
  after: number[];
  /** Stage attempts of the same group that must finish first. */
  deps: StageNode[];
  /** Earliest start, ms after the group start: its job's submission (the driver decided when, not the cluster). */
  offsetMs: number;
  /** Resource profile of the executors its tasks ran on. */
  pool: number;
  /** Driver-side wait before its first task while cores were free (set by the replay's calibration). */
  delayMs: number;
  firstLaunchMs: number;
  lastFinishMs: number;
}

/** Jobs that overlap in time: inside one, the cluster is the limit; between them, the driver. */
export interface Group {
  startMs: number;
  endMs: number;
  nodes: StageNode[];
  /** From the last task's end to the group's end: the driver collecting results and ending jobs. */
  tailMs: number;
}

const finish = (t: SimTask) => t.launchMs + t.durationMs;

/** Merges overlapping jobs into groups; each task goes to the group of a job listing its stage. */
export function buildGroups(input: SimInput, poolOf: (task: SimTask) => number): Group[] {
  const tasksOf = new Map<number, SimTask[]>();
  for (const t of input.tasks) pushTo(tasksOf, t.stageId, t);
  const spans = input.jobs.map((job) => ({ job, startMs: job.submitMs, endMs: job.endMs ?? jobLastFinish(job, tasksOf) }));
  // Stages no job lists (lost job events) still ran: their own task span stands in for a job.
  const listed = new Set(input.jobs.flatMap((j) => j.stageIds));
  for (const [stageId, tasks] of tasksOf) {
    if (listed.has(stageId)) continue;
    const startMs = tasks.reduce((m, t) => Math.min(m, t.launchMs), Infinity);
    spans.push({ job: { submitMs: startMs, endMs: null, stageIds: [stageId] }, startMs, endMs: tasks.reduce((m, t) => Math.max(m, finish(t)), startMs) });
  }
  spans.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  // Each group's tasks, and for each the offset of its job's submission from the group's start.
  const merged: { startMs: number; endMs: number; jobs: SimJob[]; tasks: SimTask[]; offsets: number[] }[] = [];
  const groupOf = new Map<SimJob, number>();
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.startMs <= last.endMs) {
      last.endMs = Math.max(last.endMs, span.endMs);
      last.jobs.push(span.job);
    } else {
      merged.push({ startMs: span.startMs, endMs: Math.max(span.startMs, span.endMs), jobs: [span.job], tasks: [], offsets: [] });
    }
    groupOf.set(span.job, merged.length - 1);
  }
  const jobsOfStage = new Map<number, SimJob[]>();
  for (const { job } of spans) for (const id of job.stageIds) pushTo(jobsOfStage, id, job);
  for (const task of input.tasks) {
    const spansLaunch = (g: { startMs: number; endMs: number }) => task.launchMs >= g.startMs && task.launchMs <= g.endMs;
    const candidates = jobsOfStage.get(task.stageId) ?? [];
    const before = candidates.filter((j) => j.submitMs <= task.launchMs);
    // The latest job listing the stage that was running at launch; a stage listed again later was skipped there.
    const job = before.filter((j) => spansLaunch(merged[groupOf.get(j)!]!)).pop() ?? before.pop() ?? candidates[0] ?? merged.find(spansLaunch)?.jobs[0];
    if (!job) continue;
    const group = merged[groupOf.get(job)!]!;
    group.tasks.push(task);
    group.offsets.push(Math.max(0, job.submitMs - group.startMs));
  }
  const stages = new Map<string, SimStage>(input.stages.map((s) => [stageKey(s.stageId, s.stageAttemptId), s]));
  return merged.map((g) => ({
    startMs: g.startMs,
    endMs: g.endMs,
    nodes: buildNodes(g.tasks, g.offsets, stages, poolOf),
    tailMs: Math.max(0, g.endMs - g.tasks.reduce((m, t) => Math.max(m, finish(t)), g.startMs)),
  }));
}

function jobLastFinish(job: SimJob, tasksOf: Map<number, SimTask[]>): number {
  let end = job.submitMs;
  for (const id of job.stageIds) for (const t of tasksOf.get(id) ?? []) if (t.launchMs >= job.submitMs) end = Math.max(end, finish(t));
  return end;
}

/**
 * The stage attempts of one group and what each waits for. Edges follow what really happened, so that retries do
 * not turn into parallel work: a stage waits for the attempt of each parent submitted last before it, for its own
 * earlier attempts, and a re-run (attempt > 0) for the child attempts that ended before it was submitted (a fetch
 * failure in a child is what resubmits its parent).
 */
function buildNodes(tasks: SimTask[], offsets: number[], stages: Map<string, SimStage>, poolOf: (t: SimTask) => number): StageNode[] {
  const nodes = new Map<string, StageNode>();
  const votes = new Map<StageNode, Map<number, number>>();
  // Per node, by task index: the position of its latest attempt so far; per node, each position's finish.
  const latestAttempt = new Map<StageNode, Map<number, number>>();
  const finishes = new Map<StageNode, number[]>();
  const order = tasks.map((_, i) => i).sort((a, b) => tasks[a]!.launchMs - tasks[b]!.launchMs);
  for (const i of order) {
    const task = tasks[i]!;
    const key = stageKey(task.stageId, task.stageAttemptId);
    let node = nodes.get(key);
    if (!node) {
      node = { stageId: task.stageId, attempt: task.stageAttemptId, durations: [], after: [], deps: [], offsetMs: offsets[i]!, pool: 0, delayMs: 0, firstLaunchMs: task.launchMs, lastFinishMs: finish(task) };
      nodes.set(key, node);
      votes.set(node, new Map());
      latestAttempt.set(node, new Map());
      finishes.set(node, []);
    }
    // A retry that launched once its previous attempt had failed waits for it; a speculative copy does not.
    const previous = task.index == null ? undefined : latestAttempt.get(node)!.get(task.index);
    node.after.push(previous !== undefined && finishes.get(node)![previous]! <= task.launchMs ? previous : -1);
    if (task.index != null) latestAttempt.get(node)!.set(task.index, node.durations.length);
    finishes.get(node)!.push(finish(task));
    node.durations.push(task.durationMs);
    node.firstLaunchMs = Math.min(node.firstLaunchMs, task.launchMs);
    node.lastFinishMs = Math.max(node.lastFinishMs, finish(task));
    const pool = poolOf(task);
    votes.get(node)!.set(pool, (votes.get(node)!.get(pool) ?? 0) + 1);
  }
  const list = [...nodes.values()].sort((a, b) => a.stageId - b.stageId || a.attempt - b.attempt);
  const byStage = new Map<number, StageNode[]>();
  const childrenOf = new Map<number, StageNode[]>();
  const info = (n: StageNode) => stages.get(stageKey(n.stageId, n.attempt));
  const submit = (n: StageNode) => info(n)?.submitMs ?? null;
  for (const node of list) {
    node.pool = [...votes.get(node)!].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    pushTo(byStage, node.stageId, node);
    for (const p of info(node)?.parentIds ?? []) pushTo(childrenOf, p, node);
  }
  for (const node of list) {
    const mine = submit(node);
    const deps = new Set<StageNode>();
    for (const parentId of new Set(info(node)?.parentIds ?? [])) {
      const attempts = byStage.get(parentId) ?? [];
      // Unknown submission times: wait for every attempt, the safe side.
      if (mine === null) attempts.forEach((p) => deps.add(p));
      const before = attempts.filter((p) => (submit(p) ?? -Infinity) <= (mine ?? -Infinity));
      if (before.length > 0) deps.add(before[before.length - 1]!);
    }
    for (const earlier of byStage.get(node.stageId) ?? []) if (earlier.attempt < node.attempt) deps.add(earlier);
    if (node.attempt > 0 && mine !== null) {
      for (const child of childrenOf.get(node.stageId) ?? []) {
        const done = info(child)?.completeMs ?? null;
        if (child.stageId !== node.stageId && done !== null && done < mine) deps.add(child);
      }
    }
    node.deps = [...deps];
  }
  dropCycles(list);
  return list;
}

/** Inconsistent clocks could close a loop; its closing edge is dropped so that replay and critical path agree. */
function dropCycles(list: StageNode[]): void {
  const state = new Map<StageNode, 'open' | 'done'>();
  const visit = (node: StageNode): void => {
    state.set(node, 'open');
    node.deps = node.deps.filter((dep) => state.get(dep) !== 'open');
    for (const dep of node.deps) if (!state.has(dep)) visit(dep);
    state.set(node, 'done');
  };
  for (const node of list) if (!state.has(node)) visit(node);
}

function stageKey(stageId: number, attempt: number): string {
  return `${stageId}.${attempt}`;
}

/**
 * Sparklens' critical path of one group: the longest chain of (longest task of a stage + its parents' chain).
 * No number of executors beats it, since a stage cannot end before its slowest task nor start before its parents.
 */
export function longestChainMs(nodes: StageNode[]): number {
  const memo = new Map<StageNode, number>();
  const chain = (node: StageNode): number => {
    const known = memo.get(node);
    if (known !== undefined) return known;
    let before = 0;
    for (const dep of node.deps) before = Math.max(before, chain(dep));
    const value = before + node.durations.reduce((m, d) => Math.max(m, d), 0);
    memo.set(node, value);
    return value;
  };
  return nodes.reduce((m, n) => Math.max(m, chain(n)), 0);
}
