import { truncate } from '../../text.js';
import type { Facts } from '../facts.js';
import type { Finding, Thresholds } from '../findings.js';
import { round } from './stage-skew.js';

/** Dr. Elephant's task-failure bands (0.05 / 0.1 / 0.15 / 0.2 of tasks); killed tasks (speculation losers) apart. */
export function taskFailures(facts: Facts, t: Thresholds): Finding[] {
  const { tasks, failed } = facts.tasks;
  if (failed === 0) return [];
  const ratio = failed / Math.max(tasks, 1);
  const reasons = facts.failures.filter((f) => f.kind === 'task' && f.outcome === 'failed');
  return [{
    id: 'task-failures',
    severity: ratio >= 0.15 ? 'error' : ratio >= t['task-failures.ratio'] ? 'warn' : 'info',
    title: `${failed} of ${tasks} tasks failed (${round(ratio * 100)} %)`,
    evidence: { failed_tasks: failed, tasks, killed_tasks: facts.tasks.killed, ...Object.fromEntries(reasons.map((r) => [r.reason ?? 'unknown', r.count])) },
    suggestion: suggestion(reasons, failed),
  }];
}

/** Memory first when it is most of the failures; otherwise the most common other reason, with its first line. */
function suggestion(reasons: Facts['failures'], failed: number): string {
  const memory = reasons.filter((r) => r.memory_kill).reduce((n, r) => n + r.count, 0);
  if (memory * 2 >= failed) return `Most failures (${memory} of ${failed}) are memory: see memory-kill.`;
  const other = reasons.find((r) => !r.memory_kill);
  const first = `Read the first failure: ${other?.reason ?? 'unknown'}${other?.example ? ` (${firstLine(other.example)})` : ''}`;
  return memory > 0 ? `${first}; ${memory} more are memory: see memory-kill.` : `${first}.`;
}

/** The first line of a failure message, at most 160 characters: what evidence and suggestions quote. */
export function firstLine(text: string): string {
  return truncate(text.split('\n')[0]!.trim(), 160);
}
