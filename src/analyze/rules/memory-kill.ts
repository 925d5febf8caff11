import type { Facts } from '../facts.js';
import type { Finding } from '../findings.js';
import { firstLine } from './task-failures.js';

/** OutOfMemoryError in tasks, containers killed for exceeding memory, exit codes 137 / 143. */
export function memoryKill(facts: Facts): Finding[] {
  const kills = facts.failures.filter((f) => f.memory_kill);
  if (kills.length === 0) return [];
  const executors = kills.filter((k) => k.kind === 'executor').reduce((n, k) => n + k.count, 0);
  const tasks = kills.filter((k) => k.kind === 'task').reduce((n, k) => n + k.count, 0);
  return [{
    id: 'memory-kill',
    severity: 'error',
    title: `${executors} executor${executors === 1 ? '' : 's'} and ${tasks} task${tasks === 1 ? '' : 's'} died for lack of memory`,
    evidence: { executors_killed: executors, tasks_out_of_memory: tasks, example: firstLine(kills[0]!.example ?? kills[0]!.reason ?? '') },
    suggestion: kills.some((k) => k.container_kill)
      ? 'The container outgrew its limit (off-heap, Python, shuffle buffers): raise spark.executor.memoryOverhead by 1g; then spark.executor.memory.'
      : 'The JVM heap ran out: raise spark.executor.memory, or lower spark.executor.cores so fewer tasks share it.',
  }];
}
