import type { Facts } from '../facts.js';
import type { Finding, Thresholds } from '../findings.js';
import { round } from './stage-skew.js';

/** Time outside every stage is the driver's (planning, collecting results, listing files): no executor speeds it up. */
export function driverBound(facts: Facts, t: Thresholds): Finding[] {
  const s = facts.speedup;
  if (!s?.duration_ms || s.sequential_ms < t['driver-bound.min-ms'] || s.sequential_ms / s.duration_ms < t['driver-bound.share']) return [];
  return [{
    id: 'driver-bound',
    severity: 'info',
    title: `${round((s.sequential_ms / s.duration_ms) * 100)} % of the run was driver time, outside any stage`,
    evidence: { driver_ms: s.sequential_ms, duration_ms: s.duration_ms, parallel_ms: s.parallel_ms },
    suggestion: 'Look at the driver: large collect()s, broadcast builds, many small files to list, or Python between jobs. More executors will not help.',
  }];
}
