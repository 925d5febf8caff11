import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadSimInput } from '../../src/analyze/what-if-input.js';
import type { SimExecutor, SimInput, SimJob, SimStage, SimTask, WhatIf } from '../../src/analyze/what-if-types.js';
import { simulateWhatIf } from '../../src/analyze/what-if.js';
import { ingested } from '../ingested.js';
import { FIXTURE_LOGS } from '../raw-events.js';

// Hand-built apps: times in ms from 0, tasks as [stage, launch, duration, executor?, index?, attempt?].
type T = [number, number, number, string?, number?, number?];

function app(opts: { end: number; jobs: [number, number, number[]][]; stages?: [number, number[], number?][]; tasks: T[]; executors: Partial<SimExecutor>[] }): SimInput {
  const tasks: SimTask[] = opts.tasks.map(([stageId, launchMs, durationMs, executorId = 'e0', index, attempt]) => ({
    stageId, stageAttemptId: 0, executorId, launchMs, durationMs, index: index ?? null, attempt: attempt ?? null,
  }));
  const stages: SimStage[] = (opts.stages ?? []).map(([stageId, parentIds, stageAttemptId = 0]) => ({ stageId, stageAttemptId, parentIds, submitMs: null, completeMs: null }));
  const jobs: SimJob[] = opts.jobs.map(([submitMs, endMs, stageIds]) => ({ submitMs, endMs, stageIds }));
  const executors = opts.executors.map((e, i): SimExecutor => ({ executorId: `e${i}`, cores: 1, addMs: 0, removeMs: null, ...e }));
  return { appStartMs: 0, appEndMs: opts.end, tasks, stages, jobs, executors };
}

const times = (w: WhatIf) => w.scenarios.map((s) => [s.executors, s.simulatedMs]);

describe('simulateWhatIf on hand-built apps', () => {
  test('a chain of two stages: the child waits for its parent; more cores only shorten the parent', () => {
    // One executor with 2 cores: four 100 ms tasks take two waves, then one 50 ms task; 50 ms of driver after.
    const w = simulateWhatIf(app({
      end: 300, jobs: [[0, 250, [0, 1]]], stages: [[0, []], [1, [0]]],
      tasks: [[0, 0, 100], [0, 0, 100], [0, 100, 100], [0, 100, 100], [1, 200, 50]],
      executors: [{ cores: 2 }],
    }));
    expect(w.observed).toMatchObject({ executors: 1, cores: 2, actualMs: 300, simulatedMs: 300, errorRatio: 0 });
    expect(w.driverMs).toBe(50);
    expect(times(w)).toEqual([[1, 300], [2, 200], [4, 200]]);
    expect(w.criticalPathMs).toBe(50 + 100 + 50);
    expect(w.idealMs).toBe(50 + 450 / 2);
    expect(w.scenarios[0]).toMatchObject({ coreHours: (2 * 300) / 3.6e6, utilisation: 450 / (2 * 250) });
  });

  test('parallel stages share the cores; their common child waits for both', () => {
    const w = simulateWhatIf(app({
      end: 150, jobs: [[0, 150, [0, 1, 2]]], stages: [[0, []], [1, []], [2, [0, 1]]],
      tasks: [[0, 0, 100, 'e0'], [1, 0, 100, 'e1'], [2, 100, 50, 'e0']],
      executors: [{}, {}],
    }));
    expect(w.observed).toMatchObject({ executors: 2, cores: 1, simulatedMs: 150 });
    // One core runs the two parents one after the other.
    expect(times(w)).toEqual([[1, 250], [2, 150], [4, 150], [8, 150]]);
    expect(w.criticalPathMs).toBe(150);
    expect(w.idealMs).toBe(250 / 2);
  });

  test('an executor removed midway: the replay loses its core, the scenarios keep every core all along', () => {
    // e1 leaves at 150: its second task would have outlived it, so e0 runs the last three (the log agrees).
    const w = simulateWhatIf(app({
      end: 300, jobs: [[0, 300, [0]]], stages: [[0, []]],
      tasks: [[0, 0, 100, 'e0'], [0, 0, 100, 'e1'], [0, 100, 100, 'e0'], [0, 200, 100, 'e0']],
      executors: [{}, { removeMs: 150 }],
    }));
    expect(w.observed).toMatchObject({ executors: 2, cores: 1, actualMs: 300, simulatedMs: 300 });
    expect(times(w)).toEqual([[1, 400], [2, 200], [4, 100], [8, 100]]);
  });

  test('an executor that joins late: the wait for it is the cluster\'s, the rest of the wait is the driver\'s', () => {
    // The task launched at 500; its only executor arrived at 400: 400 ms waiting for cores, 100 ms for the driver.
    const w = simulateWhatIf(app({ end: 600, jobs: [[0, 600, [0]]], stages: [[0, []]], tasks: [[0, 500, 100]], executors: [{ addMs: 400 }] }));
    expect(w.observed.simulatedMs).toBe(600);
    // With the core there from the start only the driver's 100 ms remain.
    expect(times(w)).toEqual([[1, 200], [2, 200], [4, 200]]);
    expect(w.criticalPathMs).toBe(100);
  });

  test('driver gaps between job groups are kept as measured; overlapping jobs form one group', () => {
    const w = simulateWhatIf(app({
      end: 1000,
      // Jobs 0 and 1 overlap: one group [100, 300]; job 2 alone [600, 700]; the driver has the other 700 ms.
      jobs: [[100, 200, [0]], [150, 300, [1]], [600, 700, [2]]],
      stages: [[0, []], [1, []], [2, []]],
      tasks: [[0, 100, 100], [1, 150, 150], [2, 600, 100]],
      executors: [{ cores: 2 }],
    }));
    expect(w.driverMs).toBe(700);
    // Job 1's stage cannot start before job 1 was submitted (50 ms into the group).
    expect(w.observed.simulatedMs).toBe(1000);
    expect(times(w)).toEqual([[1, 1000], [2, 1000], [4, 1000]]);
    expect(w.criticalPathMs).toBe(700 + 150 + 100);
  });

  test('a job without an end ends with its last task', () => {
    const w = simulateWhatIf({ ...app({ end: 500, jobs: [[100, 0, [0]]], stages: [[0, []]], tasks: [[0, 100, 200]], executors: [{}] }), jobs: [{ submitMs: 100, endMs: null, stageIds: [0] }] });
    expect(w.driverMs).toBe(300);
    expect(w.observed.simulatedMs).toBe(500);
  });

  test('a retry waits for the attempt that failed; a speculative copy runs beside the original', () => {
    const retried = simulateWhatIf(app({
      end: 200, jobs: [[0, 200, [0]]], stages: [[0, []]],
      tasks: [[0, 0, 100, 'e0', 0, 0], [0, 100, 100, 'e0', 0, 1]], executors: [{ cores: 2 }],
    }));
    expect(retried.observed.simulatedMs).toBe(200);
    expect(times(retried)).toEqual([[1, 200], [2, 200], [4, 200]]);
    const speculated = simulateWhatIf(app({
      end: 150, jobs: [[0, 150, [0]]], stages: [[0, []]],
      tasks: [[0, 0, 150, 'e0', 0, 0], [0, 50, 100, 'e0', 0, 1]], executors: [{ cores: 2 }],
    }));
    expect(speculated.observed.simulatedMs).toBe(150);
  });

  test('a stage runs only on executors of its resource profile', () => {
    // Stage 0 ran on the 1-core profile-1 executor; the 4-core default-profile one could not take its tasks.
    const w = simulateWhatIf(app({
      end: 200, jobs: [[0, 200, [0]]], stages: [[0, []]],
      tasks: [[0, 0, 100, 'e1'], [0, 100, 100, 'e1']],
      executors: [{ cores: 4 }, { cores: 1, resourceProfileId: 1 }],
    }));
    expect(w.observed.simulatedMs).toBe(200);
  });

  test('spark.task.cpus: a 4-core executor runs two 2-core tasks at once', () => {
    const w = simulateWhatIf({
      ...app({ end: 200, jobs: [[0, 200, [0]]], stages: [[0, []]], tasks: [[0, 0, 100], [0, 0, 100], [0, 100, 100], [0, 100, 100]], executors: [{ cores: 4 }] }),
      taskCpus: 2,
    });
    expect(w.observed).toMatchObject({ executors: 1, cores: 4, simulatedMs: 200 });
    expect(times(w)).toEqual([[1, 200], [2, 100], [4, 100]]);
    expect(w.idealMs).toBe(400 / 2);
    expect(w.scenarios[0]!.utilisation).toBe(1);
  });

  test('an app without tasks or executors is all driver time', () => {
    const w = simulateWhatIf({ appStartMs: 1000, appEndMs: 3000, tasks: [], stages: [], jobs: [], executors: [] });
    expect(w.observed).toMatchObject({ executors: 1, cores: 1, actualMs: 2000, simulatedMs: 2000, errorRatio: 0 });
    expect(w).toMatchObject({ driverMs: 2000, criticalPathMs: 2000, idealMs: 2000 });
    expect(w.scenarios.every((s) => s.simulatedMs === 2000 && s.utilisation === 0)).toBe(true);
  });

  test('on random DAGs more executors are never slower and the critical path is a lower bound', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let round = 0; round < 40; round++) {
      const stages: [number, number[]][] = [];
      const tasks: T[] = [];
      for (let s = 0; s < 2 + rand(6); s++) {
        stages.push([s, s === 0 ? [] : [...new Set([rand(s), rand(s)])]]);
        // Launched at the job's start, so that no driver wait is measured: the scenarios differ only in cores.
        for (let i = 0; i < 1 + rand(12); i++) tasks.push([s, 0, 1 + rand(500), `e${rand(3)}`]);
      }
      const w = simulateWhatIf(app({ end: 20_000, jobs: [[0, 10_000, stages.map(([s]) => s)]], stages, tasks, executors: [{ cores: 2 }, { cores: 2 }, { cores: 2 }] }));
      const sims = w.scenarios.map((s) => s.simulatedMs);
      for (let i = 1; i < sims.length; i++) expect(sims[i]).toBeLessThanOrEqual(sims[i - 1]!);
      expect(w.criticalPathMs).toBeLessThanOrEqual(Math.min(...sims, w.observed.simulatedMs));
      for (const s of w.scenarios) expect(s.utilisation).toBeGreaterThanOrEqual(0);
      for (const s of w.scenarios) expect(s.utilisation).toBeLessThanOrEqual(1);
    }
  });
});

test('loadSimInput reads every task, the DAG, jobs and executors with cores of an ingested log', async () => {
  const db = await ingested(path.join(FIXTURE_LOGS, 'app-20260301111500-0005.lzf'));
  const [{ app_key }] = await db.all<{ app_key: string }>('SELECT app_key FROM apps');
  const input = await loadSimInput(db, app_key);
  const [{ tasks }] = await db.all<{ tasks: number }>('SELECT count(*) AS tasks FROM tasks WHERE launch_time IS NOT NULL');
  expect(input.tasks).toHaveLength(tasks);
  expect(input.appEndMs).toBeGreaterThan(input.appStartMs);
  expect(input.executors.length).toBeGreaterThan(0);
  expect(input.executors.every((e) => e.cores > 0)).toBe(true);
  // Skipped stages are left out; retried ones keep both attempts.
  expect(input.stages.some((s) => s.stageAttemptId > 0)).toBe(true);
  expect(input.stages.some((s) => s.parentIds.length > 0)).toBe(true);
  expect(input.jobs.length).toBeGreaterThan(0);
  db.close();
});
