import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES } from '../../../fixtures/catalog.js';
import { synthApp } from '../../../fixtures/synth-app.js';
import { ingested } from '../../ingested.js';
import { FIXTURE_LOGS } from '../../raw-events.js';

test('failures: failed and killed tasks by reason, failed stages and jobs, executors removed, memory kills marked', async () => {
  const fixture = FIXTURES.find((f) => f.path === 'application_1767225600000_0007_1')!;
  const { counts } = synthApp(fixture.options);
  const db = await ingested(path.join(FIXTURE_LOGS, fixture.path));
  const rows = await db.all<{ kind: string; outcome: string; reason: string; count: number; memory_kill: boolean; container_kill: boolean }>(
    'SELECT kind, outcome, reason, count, memory_kill, container_kill FROM failures ORDER BY kind, outcome, reason',
  );
  const sum = (kind: string, outcome?: string) => rows.filter((r) => r.kind === kind && (!outcome || r.outcome === outcome)).reduce((n, r) => n + r.count, 0);
  expect(sum('task', 'failed')).toBe(counts.tasksFailed);
  expect(sum('task', 'killed')).toBe(counts.tasksKilled);
  expect(sum('stage')).toBe(counts.stageAttemptsFailed);
  expect(sum('job')).toBe(counts.jobsFailed);
  expect(sum('executor')).toBe(counts.executorsRemoved);
  // The heap ran out in the task; YARN killed the executor's container (exit code 137).
  expect(rows.find((r) => r.kind === 'task' && r.reason === 'java.lang.OutOfMemoryError')).toMatchObject({ memory_kill: true, container_kill: false });
  expect(rows.find((r) => r.kind === 'executor')).toMatchObject({ memory_kill: true, container_kill: true });
  expect(rows.find((r) => r.kind === 'task' && r.reason === 'FetchFailed')).toMatchObject({ memory_kill: false, container_kill: false });
  db.close();
});
