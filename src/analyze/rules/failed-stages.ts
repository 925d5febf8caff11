import type { Facts } from '../facts.js';
import type { Finding } from '../findings.js';
import { firstLine } from './task-failures.js';

export function failedStages(facts: Facts): Finding[] {
  const stages = facts.failures.filter((f) => f.kind === 'stage');
  const jobs = facts.failures.filter((f) => f.kind === 'job');
  if (stages.length === 0 && jobs.length === 0) return [];
  const count = (rows: typeof stages) => rows.reduce((n, r) => n + r.count, 0);
  return [{
    id: 'failed-stages',
    severity: jobs.length > 0 ? 'error' : 'warn',
    title: `${count(stages)} stage attempt${count(stages) === 1 ? '' : 's'} and ${count(jobs)} job${count(jobs) === 1 ? '' : 's'} failed`,
    evidence: { failed_stage_attempts: count(stages), failed_jobs: count(jobs), first_reason: firstLine((jobs[0] ?? stages[0])!.reason ?? '') },
    suggestion: 'A failed stage is retried (fetch failures after an executor was lost); a failed job is what the user saw: start from its reason.',
  }];
}
