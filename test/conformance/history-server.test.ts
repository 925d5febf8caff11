/**
 * Our tables against the REST output of Apache Spark's own History Server (spark-history/ in the corpus: golden
 * JSON from Spark's HistoryServerSuite, see its README.md and CASES.tsv). One test per case and per object in it;
 * expected values are read from the golden files, ours are computed from our rows by spark-model.ts.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';
import { type SparkCase, golden, historyPath, loadCases } from './spark-cases.js';
import {
  EXECUTOR_FIELDS, JOB_FIELDS, SPECULATION_FIELDS, STAGE_EXECUTOR_FIELDS, STAGE_FIELDS, actual, actualTask, expected, expectedExecutor, expectedTask,
} from './spark-fields.js';
import * as model from './spark-model.js';
import { applicationList, expectedApp, filterApplications, taskPage } from './spark-rest.js';

type Obj = Record<string, unknown>;

/*
 * Cases of kinds this suite does not cover: task summaries (metric quantiles), RDD storage, the environment page and
 * miscellaneous processes. Named here so that a case added to CASES.tsv is never dropped unseen.
 */
const OUT_OF_SCOPE = [
  'stage task summary w shuffle write',
  'stage task summary w shuffle read',
  'stage task summary w/ custom quantiles',
  'rdd list storage json',
  'multiple resource profiles',
  'app environment',
  'one rdd storage json',
  'miscellaneous process',
];

const cases = loadCases();
const covered = cases.filter((c) => c.kind !== 'other');

describeCorpus('Spark History Server conformance (spark-history/)', () => {
  const dbs = new Map<string, Awaited<ReturnType<typeof ingested>>>();
  const logsKey = (c: SparkCase) => c.logs.join(';');

  beforeAll(async () => {
    // Each distinct set of logs the History Server read for a case is ingested once, exactly as listed.
    for (const key of new Set(covered.map(logsKey))) dbs.set(key, await ingested(...key.split(';').map((p) => historyPath(p))));
  });
  afterAll(() => {
    for (const db of dbs.values()) db.close();
  });

  const memo = new Map<string, Promise<Obj[]>>();
  const once = (key: string, load: () => Promise<Obj[]>) => memo.get(key) ?? memo.set(key, load()).get(key)!;
  const dbOf = (c: SparkCase) => dbs.get(logsKey(c))!;
  const appKey = (c: SparkCase) => (c.attemptId ? `${c.appId}_${c.attemptId}` : c.appId);
  const ours = {
    apps: (c: SparkCase) => once(`${logsKey(c)}|apps`, () => model.appAttempts(dbOf(c))),
    jobs: (c: SparkCase) => once(`${logsKey(c)}|${appKey(c)}|jobs`, () => model.jobs(dbOf(c), appKey(c))),
    stages: (c: SparkCase) => once(`${logsKey(c)}|${appKey(c)}|stages`, () => model.stages(dbOf(c), appKey(c))),
    tasks: (c: SparkCase, stageId: number, attempt: number) =>
      once(`${logsKey(c)}|${appKey(c)}|tasks|${stageId}|${attempt}`, () => model.stageTasks(dbOf(c), appKey(c), stageId, attempt)),
    stageExecutors: (c: SparkCase, stageId: number, attempt: number) =>
      once(`${logsKey(c)}|${appKey(c)}|stage-executors|${stageId}|${attempt}`, () => model.stageExecutors(dbOf(c), appKey(c), stageId, attempt)),
    speculation: (c: SparkCase) => once(`${logsKey(c)}|${appKey(c)}|speculation`, () => model.stageSpeculation(dbOf(c), appKey(c))),
    executors: (c: SparkCase) =>
      // Spark 4 sets the driver's totalDuration to the app's run time; the 2019 code summed the driver's tasks.
      once(`${logsKey(c)}|${appKey(c)}|executors`, () => model.executors(dbOf(c), appKey(c), c.legacy ? 'tasks' : 'app')),
  };

  test('CASES.tsv: every case is covered or listed as out of scope', () => {
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.filter((c) => c.kind === 'other').map((c) => c.name)).toEqual(OUT_OF_SCOPE);
  });

  for (const key of new Set(covered.map(logsKey))) {
    test(`ingests ${key} whole: no failure, bad line or cut log`, () => {
      const { failures, badLines, incomplete } = dbs.get(key)!.summary;
      expect({ failures, badLines, incomplete }).toEqual({ failures: [], badLines: 0, incomplete: 0 });
    });
  }

  for (const c of covered) {
    const g = golden(c);
    const where = `${c.name} [${c.restPath}]`;
    switch (c.kind) {
      case 'appList': {
        const list = g as Obj[];
        const view = async () => filterApplications(applicationList(await ours.apps(c)), c.query);
        test(`${where}: app ids in order`, async () => {
          expect((await view()).map((a) => a.id)).toEqual(list.map((a) => a.id));
        });
        for (const app of list) {
          test(`${where}: app ${String(app.id)}`, async () => {
            expect((await view()).find((a) => a.id === app.id)).toEqual(expectedApp(app));
          });
        }
        break;
      }
      case 'app':
        test(where, async () => {
          expect(applicationList(await ours.apps(c)).find((a) => a.id === c.appId)).toEqual(expectedApp(g as Obj));
        });
        break;
      case 'jobs':
      case 'job': {
        const list = c.kind === 'job' ? [g as Obj] : (g as Obj[]);
        const statuses = c.query.getAll('status').map((s) => s.toUpperCase());
        const view = async () => (await ours.jobs(c)).filter((j) =>
          c.kind === 'job' ? j.jobId === Number(c.resource[1]) : statuses.length === 0 || statuses.includes(String(j.status)));
        test(`${where}: job ids in order`, async () => {
          expect((await view()).map((j) => j.jobId)).toEqual(list.map((j) => j.jobId));
        });
        for (const job of list) {
          test(`${where}: job ${String(job.jobId)}`, async () => {
            const row = (await view()).find((j) => j.jobId === job.jobId);
            expect(row && actual(row, JOB_FIELDS)).toEqual(expected(job, JOB_FIELDS));
          });
        }
        break;
      }
      case 'stages':
      case 'stage': {
        const list = c.kind === 'stage' ? [g as Obj] : (g as Obj[]);
        const [, id, attempt] = c.resource;
        const statuses = c.query.getAll('status').map((s) => s.toUpperCase());
        const view = async () => (await ours.stages(c)).filter((s) =>
          (id === undefined || s.stageId === Number(id)) && (attempt === undefined || s.attemptId === Number(attempt)) &&
          (statuses.length === 0 || statuses.includes(String(s.status))));
        test(`${where}: stage attempts in order`, async () => {
          expect((await view()).map((s) => `${s.stageId}.${s.attemptId}`)).toEqual(list.map((s) => `${s.stageId}.${s.attemptId}`));
        });
        for (const stage of list) {
          const label = `${where}: stage ${stage.stageId}.${stage.attemptId}`;
          test(label, async () => {
            const row = (await view()).find((s) => s.stageId === stage.stageId && s.attemptId === stage.attemptId);
            expect(row && actual(row, STAGE_FIELDS)).toEqual(expected(stage, STAGE_FIELDS));
          });
          // A response with details holds the stage's tasks, its executor summary and, when it had speculative tasks, their summary.
          if (stage.tasks !== undefined) stageDetailTests(c, label, stage);
        }
        break;
      }
      case 'taskList': {
        const list = g as Obj[];
        const [, id, attempt] = c.resource.map(Number);
        const view = async () => taskPage(await ours.tasks(c, id!, attempt!), c.query);
        test(`${where}: task ids in order`, async () => {
          expect((await view()).map((t) => t.taskId)).toEqual(list.map((t) => t.taskId));
        });
        for (const task of list) {
          test(`${where}: task ${String(task.taskId)}`, async () => {
            const row = (await ours.tasks(c, id!, attempt!)).find((t) => t.taskId === task.taskId);
            expect(row && actualTask(row)).toEqual(expectedTask(task));
          });
        }
        break;
      }
      case 'executors': {
        const list = g as Obj[];
        // The executors endpoint lists active executors only (allexecutors lists every one).
        const view = async () => (await ours.executors(c)).filter((e) => e.isActive);
        test(`${where}: executor ids in order`, async () => {
          expect((await view()).map((e) => e.id)).toEqual(list.map((e) => e.id));
        });
        for (const executor of list) {
          test(`${where}: executor ${String(executor.id)}`, async () => {
            const row = (await view()).find((e) => e.id === executor.id);
            const [ourFields, sparkFields] = [row && actual(row, EXECUTOR_FIELDS), expectedExecutor(executor)];
            if (executor.id === 'driver' && !c.legacy) {
              // Spark 4 does not sum the driver's task GC times (local-1422981780767: 0, its tasks report 352 ms), and its
              // source for the driver is not among our columns.
              delete ourFields?.totalGCTime;
              delete sparkFields.totalGCTime;
            }
            expect(ourFields).toEqual(sparkFields);
          });
        }
        break;
      }
      default:
        throw new Error(`case kind ${c.kind} has no comparison`);
    }
  }

  /** A single-stage response with details: tasks (filtered by taskStatus) and executorSummary as maps by id, speculationSummary. */
  function stageDetailTests(c: SparkCase, label: string, stage: Obj): void {
    const [stageId, attemptId] = [stage.stageId as number, stage.attemptId as number];
    const tasks = Object.values(stage.tasks as Record<string, Obj>);
    const statuses = c.query.getAll('taskStatus').map((s) => s.toUpperCase());
    const view = async () => (await ours.tasks(c, stageId, attemptId))
      .filter((t) => statuses.length === 0 || statuses.includes(String(t.status)));
    const byNumber = (a: unknown, b: unknown) => Number(a) - Number(b);
    test(`${label}: task ids`, async () => {
      expect((await view()).map((t) => t.taskId).sort(byNumber)).toEqual(tasks.map((t) => t.taskId).sort(byNumber));
    });
    for (const task of tasks) {
      test(`${label}: task ${String(task.taskId)}`, async () => {
        const row = (await view()).find((t) => t.taskId === task.taskId);
        expect(row && actualTask(row)).toEqual(expectedTask(task));
      });
    }
    const summaries = stage.executorSummary as Record<string, Obj>;
    // Spark also lists executors that ran no task of the stage but reported stage peak metrics (SparkListenerStageExecutorMetrics,
    // not stored): such an entry is all zeros, which is what we give an executor with no task end in the stage.
    const ranTasks = (s: Obj) => Number(s.succeededTasks) + Number(s.failedTasks) + Number(s.killedTasks) > 0;
    const noTasks = Object.fromEntries(STAGE_EXECUTOR_FIELDS.plain.map((f) => [f, 0]));
    test(`${label}: executorSummary ids of executors that ran tasks`, async () => {
      expect((await ours.stageExecutors(c, stageId, attemptId)).map((e) => e.id).sort())
        .toEqual(Object.keys(summaries).filter((id) => ranTasks(summaries[id]!)).sort());
    });
    for (const [id, summary] of Object.entries(summaries)) {
      test(`${label}: executorSummary ${id}`, async () => {
        const row = (await ours.stageExecutors(c, stageId, attemptId)).find((e) => e.id === id);
        expect(row ? actual(row, STAGE_EXECUTOR_FIELDS) : noTasks).toEqual(expected(summary, STAGE_EXECUTOR_FIELDS));
      });
    }
    test(`${label}: speculationSummary`, async () => {
      const row = (await ours.speculation(c)).find((s) => s.stage_id === stageId && s.stage_attempt_id === attemptId);
      const golden = stage.speculationSummary as Obj | undefined;
      expect(row ? actual(row, SPECULATION_FIELDS) : null).toEqual(golden ? expected(golden, SPECULATION_FIELDS) : null);
    });
  }
});
