import type { Facts } from '../facts.js';
import type { Finding, Thresholds } from '../findings.js';
import { round } from './stage-skew.js';

/** ABSA Spot's efficiency: task core-ms over the core-ms executors held. */
export function idleExecutors(facts: Facts, t: Thresholds): Finding[] {
  const e = facts.efficiency;
  if (!e || e.efficiency === null || e.allocated_core_ms < t['idle-executors.min-core-ms'] || e.efficiency >= t['idle-executors.efficiency']) return [];
  return [{
    id: 'idle-executors',
    severity: e.efficiency < 0.25 ? 'warn' : 'info',
    title: `Tasks used ${round(e.efficiency * 100)} % of the cores the executors held`,
    evidence: { allocated_core_ms: e.allocated_core_ms, busy_core_ms: e.busy_core_ms, efficiency: round(e.efficiency, 3), idle_executors: e.idle_executors, peak_executors: e.peak_executors },
    suggestion: 'Fewer executors would finish in about the same time (see the what-if table), or enable spark.dynamicAllocation.enabled=true.',
  }];
}
