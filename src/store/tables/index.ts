import type { Table } from '../spec.js';
import { apps } from './apps.js';
import { executors } from './executors.js';
import { ingestErrors } from './ingest-errors.js';
import { ingestedFiles } from './ingested-files.js';
import { jobs } from './jobs.js';
import { sparkProperties } from './spark-properties.js';
import { sqlExecutions } from './sql-executions.js';
import { sqlPlans } from './sql-plans.js';
import { stages } from './stages.js';
import { tasks } from './tasks.js';

export { apps, executors, ingestErrors, ingestedFiles, jobs, sparkProperties, sqlExecutions, sqlPlans, stages, tasks };

/** Tables filled from raw event lines by DuckDB's JSON reader. */
export const eventTables: readonly Table[] = [tasks, stages, jobs, executors, sqlExecutions, sqlPlans, sparkProperties];

/** Every table, in the README's order. */
export const allTables: readonly Table[] = [apps, jobs, stages, tasks, executors, sparkProperties, sqlExecutions, sqlPlans, ingestedFiles, ingestErrors];

/** Tables holding one app's rows: replaced together when the app is ingested again. */
export const perAppTables: readonly Table[] = [apps, jobs, stages, tasks, executors, sparkProperties, sqlExecutions, sqlPlans, ingestErrors];
