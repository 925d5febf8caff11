/** A problem found in one run, with the numbers behind it and the change to try. */
export interface Finding {
  /** Stable rule id: JSON output, the README and thresholds use it. */
  id: RuleId;
  severity: 'info' | 'warn' | 'error';
  title: string;
  /** The numbers that triggered it (bytes, ms, ratios, counts), keyed by name. */
  evidence: Record<string, number | string>;
  suggestion: string;
}

export const RULES = {
  'stage-skew': 'One task of a stage runs much longer than the others (data skew)',
  spill: 'Stages spill memory to disk',
  'gc-pressure': 'Executors spend a large share of task time in garbage collection',
  'task-failures': 'Tasks failed',
  'memory-kill': 'Executors or tasks died for lack of memory',
  'failed-stages': 'Stages or jobs failed',
  'idle-executors': 'Executors held cores that tasks did not use',
  'driver-bound': 'Much of the run happened on the driver, outside jobs',
} as const;

export type RuleId = keyof typeof RULES;

/** Rule thresholds; each can be overridden with `--threshold <rule>.<name>=<value>`. */
export const DEFAULT_THRESHOLDS = {
  'stage-skew.ratio': 4,
  'stage-skew.min-task-ms': 10_000,
  'stage-skew.min-share': 0.5,
  'spill.ratio': 0.01,
  'gc-pressure.ratio': 0.08,
  'gc-pressure.min-run-ms': 300_000,
  'task-failures.ratio': 0.05,
  'idle-executors.efficiency': 0.5,
  'idle-executors.min-core-ms': 600_000,
  'driver-bound.share': 0.3,
  'driver-bound.min-ms': 60_000,
} as const;

export type Thresholds = Record<keyof typeof DEFAULT_THRESHOLDS, number>;

const SEVERITY_ORDER = { error: 0, warn: 1, info: 2 } as const;

export function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id);
}
