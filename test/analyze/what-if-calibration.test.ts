import path from 'node:path';
import { expect, test } from 'vitest';
import { loadSimInput } from '../../src/analyze/what-if-input.js';
import { simulateWhatIf } from '../../src/analyze/what-if.js';
import { discoverLogs } from '../../src/source/discover.js';
import { corpusDir, describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';

/** The aim: replayed on its own executor timeline, a run's predicted wall time is within 10 % of the real one. */
const MAX_ERROR = 0.1;
/** Below this, a run is a handful of tiny jobs: driver time is all there is and calibration says nothing. */
const MIN_TASKS = 50;
/**
 * Apps allowed to miss, with why (the data, not the model's convenience). None at present: keep it that way, and
 * never add an app here without saying what in its log makes the replay wrong.
 */
const KNOWN_MISSES: Record<string, string> = {};

describeCorpus('what-if calibration on real logs', () => {
  test('every completed app with enough tasks: |simulated - actual| / actual <= 10 %', async () => {
    const corpus = corpusDir()!;
    const { sources } = await discoverLogs([corpus]);
    const rows: { log: string; app: string; tasks: number; actualMs: number; simulatedMs: number; error: number }[] = [];
    // One log at a time, each in its own in-memory database, so that memory stays bounded.
    for (const source of sources) {
      const db = await ingested(source.logPath);
      try {
        const apps = await db.all<{ app_key: string; tasks: number }>(
          `SELECT a.app_key, (SELECT count(*) FROM tasks t WHERE t.app_key = a.app_key) AS tasks FROM apps a WHERE a.completed ORDER BY a.app_key`,
        );
        for (const app of apps.filter((a) => a.tasks >= MIN_TASKS)) {
          const w = simulateWhatIf(await loadSimInput(db, app.app_key));
          rows.push({ log: path.relative(corpus, source.logPath), app: app.app_key, tasks: app.tasks, actualMs: w.observed.actualMs, simulatedMs: w.observed.simulatedMs, error: w.observed.errorRatio });
          // The model's own invariants hold on real data too.
          const sims = w.scenarios.map((s) => s.simulatedMs);
          for (let i = 1; i < sims.length; i++) expect(sims[i], `${app.app_key}: more executors, slower`).toBeLessThanOrEqual(sims[i - 1]!);
          expect(w.criticalPathMs, `${app.app_key}: critical path above a scenario`).toBeLessThanOrEqual(Math.min(...sims));
        }
      } finally {
        db.close();
      }
    }
    console.log(table(rows));
    expect(rows.length, 'completed apps with enough tasks in the corpus').toBeGreaterThanOrEqual(10);
    const misses = rows.filter((r) => r.error > MAX_ERROR && !(r.app in KNOWN_MISSES)).map((r) => `${r.log} (${r.app}): ${pct(r.error)}`);
    expect(misses).toEqual([]);
  }, 300_000);
});

function table(rows: { log: string; app: string; tasks: number; actualMs: number; simulatedMs: number; error: number }[]): string {
  const header = ['log', 'app', 'tasks', 'actual ms', 'simulated ms', 'error'];
  const cells = rows.map((r) => [r.log, r.app, String(r.tasks), String(r.actualMs), String(r.simulatedMs), pct(r.error)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i >= 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  return ['what-if calibration (observed executor timeline):', line(header), ...cells.map(line)].join('\n');
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}
