import type { Facts } from '../facts.js';
import type { Finding, Thresholds } from '../findings.js';
import { round } from './stage-skew.js';

/** Dr. Elephant's spill bands on memory spill per byte handled: 0.01 / 0.1 / 0.25 / 0.5. */
export function spill(facts: Facts, t: Thresholds): Finding[] {
  const app = facts.spill.find((s) => s.stage_id === null);
  const ratio = app?.spill_ratio ?? 0;
  if (!app || ratio < t['spill.ratio']) return [];
  // Stage ids, once each: the spill view has a row per stage attempt.
  const stages = [...new Set(facts.spill.filter((s) => s.stage_id !== null && s.spills).map((s) => s.stage_id!))];
  const skewed = new Set(facts.stageSkew.filter((s) => (s.duration_skew ?? 0) >= t['stage-skew.ratio']).map((s) => s.stage_id));
  const spillingSkewed = stages.some((id) => skewed.has(id));
  return [{
    id: 'spill',
    severity: ratio >= 0.25 ? 'error' : ratio >= 0.1 ? 'warn' : 'info',
    title: `${stages.length === 1 ? '1 stage' : `${stages.length} stages`} spilled ${round(ratio * 100)} % of the bytes the app handled`,
    evidence: {
      memory_spill_bytes: app.memory_spill_bytes ?? 0, disk_spill_bytes: app.disk_spill_bytes ?? 0, spill_ratio: round(ratio, 3),
      stages: stages.join(', '),
    },
    // RAPIDS' AutoTuner rule: more partitions do not help a skewed stage (its hot keys still land in one task).
    suggestion: spillingSkewed
      ? 'The spilling stages are skewed: fix the skew (spark.sql.adaptive.skewJoin.enabled=true) before adding memory.'
      : 'Give each task more memory: double spark.sql.shuffle.partitions, or raise spark.executor.memory (or lower spark.executor.cores).',
  }];
}
