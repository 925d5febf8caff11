import type { Facts } from '../facts.js';
import type { Finding, Thresholds } from '../findings.js';
import { round } from './stage-skew.js';

/** The `gc` view's bands (Dr. Elephant's) from which GC pressure is an error: 0.15 of task run time and up. */
const ERROR_BANDS = new Set(['severe', 'critical']);

/** GC time as a share of task run time, once tasks ran for a while. */
export function gcPressure(facts: Facts, t: Thresholds): Finding[] {
  const app = facts.gc.find((g) => g.executor_id === null);
  if (!app || (app.run_time_ms ?? 0) < t['gc-pressure.min-run-ms'] || (app.gc_ratio ?? 0) < t['gc-pressure.ratio']) return [];
  const worst = facts.gc.filter((g) => g.executor_id !== null).sort((a, b) => (b.gc_ratio ?? 0) - (a.gc_ratio ?? 0))[0];
  return [{
    id: 'gc-pressure',
    severity: ERROR_BANDS.has(app.severity) ? 'error' : 'warn',
    title: `Tasks spent ${round(app.gc_ratio! * 100)} % of their run time in JVM garbage collection`,
    evidence: { gc_time_ms: app.gc_time_ms ?? 0, run_time_ms: app.run_time_ms ?? 0, gc_ratio: round(app.gc_ratio!, 3), worst_executor: worst?.executor_id ?? '', worst_executor_ratio: round(worst?.gc_ratio ?? 0, 3) },
    suggestion: 'Raise spark.executor.memory, or lower spark.executor.cores so fewer tasks share one heap; cache less, or in serialized form.',
  }];
}
