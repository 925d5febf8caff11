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

/** Every rule's id, in the README's order (its rules table says what each one looks for). */
export const RULE_IDS = ['stage-skew', 'spill', 'gc-pressure', 'task-failures', 'memory-kill', 'failed-stages', 'idle-executors', 'driver-bound'] as const;

export type RuleId = (typeof RULE_IDS)[number];

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
