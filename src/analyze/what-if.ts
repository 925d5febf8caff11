import { pushTo } from '../collections.js';
import { buildGroups, longestChainMs, type Group, type StageNode } from './critical-path.js';
import { peakConcurrent, RealCores, slotsOf } from './what-if-input.js';
import type { SimExecutor, SimInput, WhatIf, WhatIfScenario } from './what-if-types.js';

/** A core (a task slot): when it is next free, and when its executor leaves (no task that would outlive it runs on it). */
interface Slot {
  freeMs: number;
  removeMs: number;
}

const FACTORS = [0.25, 0.5, 1, 2, 4];

/**
 * Predicts the app's wall time on other cluster sizes by replaying its real task durations: Sparklens' model,
 * with the DAG honoured in ready-time order, per-executor core counts, resource profiles, the real executor
 * timeline, and the driver's own waits inside jobs kept as measured.
 */
export function simulateWhatIf(input: SimInput): WhatIf {
  const actualMs = Math.max(0, input.appEndMs - input.appStartMs);
  const profileOf = new Map(input.executors.map((e) => [e.executorId, e.resourceProfileId ?? 0]));
  const biggest = largestPool(input.executors);
  const groups = buildGroups(input, (t) => profileOf.get(t.executorId) ?? biggest);
  const driverMs = Math.max(0, actualMs - unionMs(groups, input.appStartMs, input.appEndMs));
  const { executors, cores } = observedShape(input.executors);
  const busy = new RealCores(input, profileOf);
  for (const g of groups) measureDelays(g, busy);
  const perTask = input.taskCpus ?? 1;
  const observedMs = driverMs + sum(groups.map((g) => replay(g, observedPools(input.executors, perTask, g.startMs))));
  const taskMs = sum(input.tasks.map((t) => t.durationMs));
  const counts = [...new Set(FACTORS.map((f) => Math.max(1, Math.round(executors * f))))].sort((a, b) => a - b);
  // A bigger cluster can always run a smaller one's schedule, so a group never takes longer with more executors
  // (greedy list scheduling alone can show Graham's anomalies).
  let best = groups.map(() => Infinity);
  const scenarios = counts.map((n): WhatIfScenario => {
    best = groups.map((g, i) => Math.min(best[i]!, replay(g, uniformPool(n * slotsOf(cores, perTask), g.startMs))));
    const simulatedMs = driverMs + sum(best);
    const heldMs = (n * cores * (simulatedMs - driverMs)) / perTask;
    return {
      executors: n,
      cores,
      simulatedMs,
      coreHours: (n * cores * simulatedMs) / 3.6e6,
      utilisation: heldMs > 0 ? Math.min(1, Math.max(0, taskMs / heldMs)) : 0,
    };
  });
  return {
    observed: { executors, cores, actualMs, simulatedMs: observedMs, errorRatio: actualMs > 0 ? Math.abs(observedMs - actualMs) / actualMs : 0 },
    scenarios,
    driverMs,
    criticalPathMs: driverMs + sum(groups.map((g) => longestChainMs(g.nodes))),
    idealMs: driverMs + taskMs / (executors * slotsOf(cores, perTask)),
  };
}

/**
 * A stage's first task can wait for the driver (task serialisation, broadcasts, locality wait, an executor still
 * starting) although cores are free and its parents are done. That wait does not depend on the cluster size, so
 * it is measured once from the log and kept in every scenario; waits for busy cores are left to the replay.
 */
function measureDelays(group: Group, busy: RealCores): void {
  for (const node of group.nodes) {
    const ready = Math.max(group.startMs + node.offsetMs, ...node.deps.map((d) => d.lastFinishMs));
    if (node.firstLaunchMs <= ready) continue;
    node.delayMs = node.firstLaunchMs - busy.idleSince(node.pool, ready, node.firstLaunchMs);
  }
}

/**
 * List scheduling of one group from its start: stage attempts in order of ready time (ties: stage id), each
 * stage's tasks in launch order, each on the core of its pool that frees first, never before the stage is ready.
 * Returns the group's simulated duration.
 */
function replay(group: Group, pools: (pool: number) => SlotHeap): number {
  const waiting = new Map<StageNode, number>(group.nodes.map((n) => [n, n.deps.length]));
  const readyAt = new Map<StageNode, number>(group.nodes.map((n) => [n, group.startMs + n.offsetMs]));
  const children = new Map<StageNode, StageNode[]>();
  for (const n of group.nodes) for (const d of n.deps) pushTo(children, d, n);
  let ready = group.nodes.filter((n) => n.deps.length === 0);
  let end = group.startMs;
  while (ready.length > 0) {
    // Few stages are ready at once, so a scan beats a second heap.
    let at = 0;
    for (let i = 1; i < ready.length; i++) {
      const a = ready[i]!;
      const b = ready[at]!;
      const order = readyAt.get(a)! - readyAt.get(b)! || a.stageId - b.stageId || a.attempt - b.attempt;
      if (order < 0) at = i;
    }
    const node = ready[at]!;
    ready.splice(at, 1);
    const heap = pools(node.pool);
    // The measured wait began once a core was there as well (an executor can join after the stage is ready).
    const start = Math.max(readyAt.get(node)!, heap.nextFreeMs()) + node.delayMs;
    const finishes: number[] = [];
    node.durations.forEach((d, i) => finishes.push(heap.run(Math.max(start, finishes[node.after[i]!] ?? start), d)));
    const done = finishes.reduce((m, f) => Math.max(m, f), start);
    end = Math.max(end, done);
    for (const child of children.get(node) ?? []) {
      readyAt.set(child, Math.max(readyAt.get(child)!, done));
      waiting.set(child, waiting.get(child)! - 1);
      if (waiting.get(child) === 0) ready.push(child);
    }
  }
  return end - group.startMs + group.tailMs;
}

/**
 * Min-heap of cores by free time. A task goes to the core that frees first among those whose executor outlives
 * it: a task that was running when its executor died is in the log already, as a failed attempt, and so is its
 * retry; replaying the retry on the dying executor would invent capacity.
 */
class SlotHeap {
  private readonly heap: Slot[] = [];
  private readonly gone: Slot[] = [];

  constructor(slots: Slot[]) {
    for (const s of slots) {
      if (s.freeMs >= s.removeMs) this.gone.push({ ...s });
      else this.push({ ...s });
    }
    // Not one core (a hand-made input): one that is always there, so that the replay still says something.
    if (slots.length === 0) this.push({ freeMs: -Infinity, removeMs: Infinity });
  }

  /** Runs a task of `durationMs` no earlier than `readyMs`; returns when it finishes. */
  run(readyMs: number, durationMs: number): number {
    const aside: Slot[] = [];
    let slot: Slot | undefined;
    while (!slot && this.heap.length > 0) {
      const next = this.pop();
      const start = Math.max(next.freeMs, readyMs);
      // Free times only grow, so a core free only once its executor has left is gone for good.
      if (next.freeMs >= next.removeMs) this.gone.push(next);
      else if (start + durationMs > next.removeMs) aside.push(next);
      else slot = next;
    }
    // No core lives long enough (lost events): the one that starts first runs it, for good, as the log shows
    // the task did run somewhere.
    if (!slot) {
      slot = [...aside, ...this.gone].sort((a, b) => a.freeMs - b.freeMs || b.removeMs - a.removeMs)[0]!;
      for (const list of [aside, this.gone]) if (list.includes(slot)) list.splice(list.indexOf(slot), 1);
      slot.removeMs = Infinity;
    }
    slot.freeMs = Math.max(slot.freeMs, readyMs) + durationMs;
    this.push(slot);
    for (const other of aside) this.push(other);
    return slot.freeMs;
  }

  /** When the first live core frees up (ignoring whether its executor outlives the next task). */
  nextFreeMs(): number {
    return this.heap[0]?.freeMs ?? -Infinity;
  }

  private push(slot: Slot): void {
    const h = this.heap;
    h.push(slot);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (h[p]!.freeMs <= h[i]!.freeMs) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): Slot {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.freeMs < h[m]!.freeMs) m = l;
        if (r < h.length && h[r]!.freeMs < h[m]!.freeMs) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

/** The real cores, one pool per resource profile: each executor's, from when it joined until it left. */
function observedPools(executors: SimExecutor[], taskCpus: number, groupStartMs: number): (pool: number) => SlotHeap {
  const pools = new Map<number, Slot[]>();
  for (const e of executors) {
    for (let i = 0; i < slotsOf(e.cores, taskCpus); i++) pushTo(pools, e.resourceProfileId ?? 0, { freeMs: Math.max(groupStartMs, e.addMs), removeMs: e.removeMs ?? Infinity });
  }
  const heaps = new Map([...pools].map(([pool, slots]) => [pool, new SlotHeap(slots)]));
  const fallback = heaps.get(largestPool(executors)) ?? new SlotHeap([]);
  return (pool) => heaps.get(pool) ?? fallback;
}

function uniformPool(count: number, groupStartMs: number): (pool: number) => SlotHeap {
  const heap = new SlotHeap(Array.from({ length: Math.max(1, count) }, () => ({ freeMs: groupStartMs, removeMs: Infinity })));
  return () => heap;
}

/** The resource profile with the most cores: where tasks on unknown executors are assumed to have run. */
function largestPool(executors: SimExecutor[]): number {
  const cores = new Map<number, number>();
  for (const e of executors) cores.set(e.resourceProfileId ?? 0, (cores.get(e.resourceProfileId ?? 0) ?? 0) + e.cores);
  return [...cores].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
}

/** Peak concurrent executors and their most common core count (ties: the larger). */
function observedShape(executors: SimExecutor[]): { executors: number; cores: number } {
  const peak = peakConcurrent(executors.flatMap((e) => [{ at: e.addMs, d: 1 }, ...(e.removeMs === null ? [] : [{ at: e.removeMs, d: -1 }])]));
  const byCores = new Map<number, number>();
  for (const e of executors) byCores.set(e.cores, (byCores.get(e.cores) ?? 0) + 1);
  const [cores] = [...byCores].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0] ?? [1];
  return { executors: Math.max(1, peak), cores };
}

/** Time covered by the groups, within the app's lifetime. */
function unionMs(groups: Group[], fromMs: number, toMs: number): number {
  let total = 0;
  let reach = -Infinity;
  for (const g of groups) {
    const start = Math.max(g.startMs, reach, fromMs);
    const end = Math.min(g.endMs, toMs);
    if (end > start) total += end - start;
    reach = Math.max(reach, g.endMs);
  }
  return total;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
