import type { Report } from '../analyze/report.js';
import { truncate } from '../text.js';
import { formatBytes, formatDuration, formatTime } from './units.js';

/** A report laid out for reading, in any text format: titled sections of facts and tables, units applied. */
export interface Doc {
  title: string;
  sections: Section[];
}

export interface Section {
  /** Stable, for renderers that draw a section their own way (titles are for people and may change). */
  id: 'summary' | 'time' | 'stages' | 'findings' | 'what-if';
  title: string;
  facts?: [string, string][];
  table?: { columns: string[]; rows: string[][]; numeric: number[] };
  items?: { severity: 'info' | 'warn' | 'error'; id: string; title: string; evidence: string; suggestion: string }[];
}

export function reportDoc(r: Report): Doc {
  const t = r.timeBreakdown;
  const pct = (x: number | null) => (x === null ? '' : `${Math.round(x * 100)} %`);
  const share = (ms: number) => (t.durationMs > 0 ? ` (${Math.round((ms / t.durationMs) * 100)} %)` : '');
  return {
    title: `${r.app.name ?? r.app.key} · ${r.app.key}`,
    sections: [
      {
        id: 'summary',
        title: 'Summary',
        facts: [
          ['status', r.app.completed ? 'completed' : 'incomplete (cut short or still running)'],
          ['Spark', r.app.sparkVersion ?? 'unknown'],
          ['started', formatTime(r.app.startTime)],
          ['duration', formatDuration(r.app.durationMs)],
          ['executors', `${r.summary.executors} (peak ${r.summary.peakExecutors}, ${r.summary.cores} cores, ${r.summary.removedExecutors} removed)`],
          ['tasks', `${r.summary.tasks} (${r.summary.failedTasks} failed, ${r.summary.killedTasks} killed)`],
          ['stages / jobs', `${r.summary.stages} (${r.summary.failedStages} failed) / ${r.summary.jobs} (${r.summary.failedJobs} failed)`],
          ['input / output', `${formatBytes(r.summary.inputBytes)} / ${formatBytes(r.summary.outputBytes)}`],
          ['shuffle read / write', `${formatBytes(r.summary.shuffleReadBytes)} / ${formatBytes(r.summary.shuffleWriteBytes)}`],
          ['spill memory / disk', `${formatBytes(r.summary.memorySpillBytes)} / ${formatBytes(r.summary.diskSpillBytes)}`],
        ],
      },
      {
        id: 'time',
        title: 'Where the time went',
        facts: [
          ['driver (outside stages)', formatDuration(t.driverMs) + share(t.driverMs)],
          ['stages running', formatDuration(t.executorMs) + share(t.executorMs)],
          ['task time (all cores)', formatDuration(t.taskTimeMs)],
          ['  executor run / CPU', `${formatDuration(t.runTimeMs)} / ${t.cpuTimeMs === null ? 'not in this log' : formatDuration(t.cpuTimeMs)}`],
          ['  JVM GC', formatDuration(t.gcTimeMs)],
          ['  shuffle fetch wait', formatDuration(t.shuffleWaitMs)],
          ['  (de)serialization', formatDuration(t.serializationMs)],
          ['core efficiency', pct(t.efficiency)],
          ['speedup over one core', t.speedup === null ? '' : `${t.speedup.toFixed(1)}x`],
        ],
      },
      {
        id: 'stages',
        title: 'Top stages by task time',
        table: {
          columns: ['stage', 'name', 'status', 'tasks', 'wall', 'task time', 'p50', 'max', 'input', 'shuffle read', 'shuffle write', 'spill', 'failed'],
          rows: r.stages.map((s) => [
            s.attemptId ? `${s.stageId}.${s.attemptId}` : String(s.stageId), truncate(s.name ?? '', 40), s.status, String(s.tasks),
            formatDuration(s.wallMs), formatDuration(s.taskTimeMs), formatDuration(s.taskP50Ms), formatDuration(s.taskMaxMs),
            formatBytes(s.inputBytes), formatBytes(s.shuffleReadBytes), formatBytes(s.shuffleWriteBytes), formatBytes(s.spillBytes), String(s.failedTasks),
          ]),
          numeric: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        },
      },
      {
        id: 'findings',
        title: 'Findings',
        items: r.findings.map((f) => ({ severity: f.severity, id: f.id, title: f.title, evidence: formatEvidence(f.evidence), suggestion: f.suggestion })),
      },
      whatIfSection(r),
    ],
  };
}

function whatIfSection(r: Report): Section {
  const w = r.whatIf;
  return {
    id: 'what-if',
    title: 'What if',
    facts: [
      ['observed', `${w.observed.executors} executors x ${w.observed.cores} cores: ran ${formatDuration(w.observed.actualMs)}, model replays ${formatDuration(w.observed.simulatedMs)} (${(w.observed.errorRatio * 100).toFixed(1)} % off)`],
      ['critical path', `${formatDuration(r.criticalPathMs)} (no cluster size beats it)`],
      ['ideal', `${formatDuration(r.idealMs)} (all task time spread perfectly on the observed cores)`],
    ],
    table: {
      columns: ['executors', 'cores', 'predicted', 'core-hours', 'utilisation'],
      rows: w.scenarios.map((s) => [String(s.executors), String(s.cores), formatDuration(s.simulatedMs), s.coreHours.toFixed(2), `${Math.round(s.utilisation * 100)} %`]),
      numeric: [0, 1, 2, 3, 4],
    },
  };
}

/** Evidence keys carry their unit (`_ms`, `_bytes`); other numbers print as they are. */
export function formatEvidence(evidence: Record<string, number | string>): string {
  return Object.entries(evidence)
    .map(([k, v]) => {
      if (typeof v === 'number' && k.endsWith('_ms')) return `${k.slice(0, -3)} ${formatDuration(v)}`;
      if (typeof v === 'number' && k.endsWith('_bytes')) return `${k.slice(0, -6)} ${formatBytes(v)}`;
      return `${k} ${v}`;
    })
    .join(', ');
}
