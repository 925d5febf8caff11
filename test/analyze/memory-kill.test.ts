import { expect, test } from 'vitest';
import type { Facts } from '../../src/analyze/facts.js';
import { memoryKill } from '../../src/analyze/rules/memory-kill.js';

type Failure = Facts['failures'][number];
const facts = (failures: Failure[]) => ({ failures }) as Facts;

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
