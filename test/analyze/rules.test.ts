import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import type { Facts } from '../../src/analyze/facts.js';
import { DEFAULT_THRESHOLDS, RULE_IDS } from '../../src/analyze/findings.js';
import { gcPressure } from '../../src/analyze/rules/gc-pressure.js';
import { memoryKill } from '../../src/analyze/rules/memory-kill.js';
import { spill } from '../../src/analyze/rules/spill.js';
import { taskFailures } from '../../src/analyze/rules/task-failures.js';

type Failure = Facts['failures'][number];
const facts = (failures: Failure[]) => ({ failures }) as Facts;
const gcFacts = (gc: Facts['gc']) => ({ gc }) as Facts;

const heapOom: Failure = {
  kind: 'task', outcome: 'failed', reason: 'java.lang.OutOfMemoryError', count: 3, memory_kill: true, container_kill: false,
  // Task and stage numbers are free text too: a 137 in them says nothing about exit codes.
  example: 'Lost task 137.2 in stage 143.0 (TID 9137): java.lang.OutOfMemoryError: Java heap space',
};
const containerKill: Failure = {
  kind: 'executor', outcome: 'removed', count: 2, memory_kill: true, container_kill: true,
  reason: 'Container killed by YARN for exceeding memory limits. 9 GB of 9 GB physical memory used.',
  example: 'Container killed by YARN for exceeding memory limits. 9 GB of 9 GB physical memory used.',
};

test('memory-kill: a heap OOM asks for executor memory, a killed container for memoryOverhead, counts by kind', () => {
  const [heap] = memoryKill(facts([heapOom]));
  expect(heap!.title).toBe('0 executors and 3 tasks died for lack of memory');
  expect(heap!.suggestion).toMatch(/^The JVM heap ran out: raise spark.executor.memory/);

  const [both] = memoryKill(facts([heapOom, containerKill]));
  expect(both!.evidence).toMatchObject({ executors_killed: 2, tasks_out_of_memory: 3 });
  expect(both!.suggestion).toMatch(/raise spark.executor.memoryOverhead by 1g/);

  expect(memoryKill(facts([{ ...heapOom, memory_kill: false, reason: 'FetchFailed' }]))).toEqual([]);
});

test('gc-pressure: a warning from the threshold, an error from the gc view\'s severe band, the worst executor named', () => {
  const app = (gc_time_ms: number, run_time_ms: number, severity: string) => ({ executor_id: null, gc_time_ms, run_time_ms, gc_ratio: gc_time_ms / run_time_ms, severity });
  const executors = [
    { executor_id: '1', gc_time_ms: 30_000, run_time_ms: 500_000, gc_ratio: 0.06, severity: 'none' },
    { executor_id: '2', gc_time_ms: 90_000, run_time_ms: 500_000, gc_ratio: 0.18, severity: 'severe' },
  ];
  const [moderate] = gcPressure(gcFacts([app(120_000, 1_000_000, 'moderate'), ...executors]), DEFAULT_THRESHOLDS);
  expect(moderate).toMatchObject({
    severity: 'warn', title: 'Tasks spent 12 % of their run time in JVM garbage collection',
    evidence: { gc_time_ms: 120_000, run_time_ms: 1_000_000, gc_ratio: 0.12, worst_executor: '2', worst_executor_ratio: 0.18 },
  });
  expect(gcPressure(gcFacts([app(160_000, 1_000_000, 'severe')]), DEFAULT_THRESHOLDS)[0]!.severity).toBe('error');
  expect(gcPressure(gcFacts([app(250_000, 1_000_000, 'critical')]), DEFAULT_THRESHOLDS)[0]!.severity).toBe('error');
  // Below the threshold, or too little run time to judge: nothing.
  expect(gcPressure(gcFacts([app(50_000, 1_000_000, 'none')]), DEFAULT_THRESHOLDS)).toEqual([]);
  const short = DEFAULT_THRESHOLDS['gc-pressure.min-run-ms'] - 1;
  expect(gcPressure(gcFacts([app(short / 2, short, 'critical')]), DEFAULT_THRESHOLDS)).toEqual([]);
});

test('the README\'s rules table has a row for every rule id, in order', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('**Rules**'), readme.indexOf('**What-if**'));
  expect([...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])).toEqual([...RULE_IDS]);
});

test('task-failures: memory is named first only when it is most of the failures; otherwise the most common other reason', () => {
  const fetch: Failure = { kind: 'task', outcome: 'failed', reason: 'FetchFailed', count: 5, memory_kill: false, container_kill: false, example: 'FetchFailed(BlockManagerId(3))\nat ...' };
  const base = { tasks: { tasks: 100, failed: 8, killed: 0 } } as unknown as Facts;
  const [mostlyOther] = taskFailures({ ...base, failures: [fetch, heapOom] }, DEFAULT_THRESHOLDS);
  expect(mostlyOther!.suggestion).toBe('Read the first failure: FetchFailed (FetchFailed(BlockManagerId(3))); 3 more are memory: see memory-kill.');
  const [mostlyMemory] = taskFailures({ ...base, tasks: { tasks: 100, failed: 8, killed: 0 }, failures: [{ ...fetch, count: 2 }, { ...heapOom, count: 6 }] } as Facts, DEFAULT_THRESHOLDS);
  expect(mostlyMemory!.suggestion).toBe('Most failures (6 of 8) are memory: see memory-kill.');
  expect(mostlyMemory!.title).toBe('8 of 100 tasks failed (8 %)');
});

test('spill: a stage spilling in two attempts is named once', () => {
  const row = (stage_id: number | null, stage_attempt_id: number | null) => ({ stage_id, stage_attempt_id, memory_spill_bytes: 100, disk_spill_bytes: 50, spill_ratio: 0.2, spills: true });
  const [finding] = spill({ spill: [row(null, null), row(4, 0), row(4, 1), row(7, 0)], stageSkew: [] } as unknown as Facts, DEFAULT_THRESHOLDS);
  expect(finding!.title).toBe('2 stages spilled 20 % of the bytes the app handled');
  expect(finding!.evidence.stages).toBe('4, 7');
});
