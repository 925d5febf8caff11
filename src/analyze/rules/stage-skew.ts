import type { Facts } from '../facts.js';
import type { Finding, Thresholds } from '../findings.js';

/**
 * Skew that matters: the slowest task is many times the median, long in itself, and most of the stage's wall
 * time (Dr. Elephant asks 2.5 min and 75 %; we flag from 10 s and half the stage, since CI jobs are short).
 */
export function stageSkew(facts: Facts, t: Thresholds): Finding[] {
  return facts.stageSkew
    .filter((s) => (s.duration_skew ?? 0) >= t['stage-skew.ratio'] && s.max_task_ms >= t['stage-skew.min-task-ms'] && (s.max_task_share_of_stage ?? 0) >= t['stage-skew.min-share'])
    .map((s) => {
      const dataSkew = (s.read_skew ?? 0) >= t['stage-skew.ratio'];
      return {
        id: 'stage-skew' as const,
        severity: (s.duration_skew ?? 0) >= 4 * t['stage-skew.ratio'] ? ('error' as const) : ('warn' as const),
        title: `Stage ${s.stage_id}${s.stage_attempt_id ? ` (attempt ${s.stage_attempt_id})` : ''}: slowest task ${round(s.duration_skew!)}x the median${dataSkew ? `, reading ${round(s.read_skew!)}x the median bytes` : ''}`,
        evidence: {
          stage: s.stage_id, tasks: s.tasks, max_task_ms: s.max_task_ms, median_task_ms: s.median_task_ms,
          max_read_bytes: s.max_read_bytes, median_read_bytes: s.median_read_bytes, share_of_stage: round(s.max_task_share_of_stage!, 2),
        },
        suggestion: dataSkew
          ? 'A few keys hold most of the data: enable spark.sql.adaptive.skewJoin.enabled=true (Spark 3+), or salt the hot keys; more partitions will not help.'
          : 'Tasks read similar bytes but one runs long: look for a slow host (speculation: spark.speculation=true) or an expensive record.',
      };
    });
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
