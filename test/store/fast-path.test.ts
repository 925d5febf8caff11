import { expect, test } from 'vitest';
import { discoverLogs } from '../../src/source/discover.js';
import { pathIn, storedColumns } from '../../src/store/spec.js';
import { tasks } from '../../src/store/tables/index.js';
import { corpusDir, describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';
import { rawText } from '../raw-counts.js';

// The fast path stages slimmed task lines and lets DuckDB's JSON reader extract them. The simple path here
// parses every raw line with JSON.parse and follows the same JSON paths: both must give the same values.
const jsonColumns = storedColumns(tasks).filter(([, c]) => c.json);

function simpleRow(event: Record<string, unknown>): string {
  const row = jsonColumns.map(([, c]) => {
    let value: unknown = event;
    for (const key of pathIn(c, 'SparkListenerTaskEnd')!) value = (value as Record<string, unknown> | undefined)?.[key];
    if (c.type === 'TIMESTAMP') return typeof value === 'number' && value > 0 ? value : null;
    if (c.type === 'VARCHAR' && value !== undefined && value !== null) return String(value);
    return value ?? null;
  });
  return JSON.stringify(row);
}

const FAST_SQL = `SELECT ${jsonColumns.map(([n, c]) => (c.type === 'TIMESTAMP' ? `epoch_ms(${n}) AS ${n}` : n)).join(', ')} FROM tasks`;

describeCorpus('the fast path (slimmed lines, DuckDB JSON reader)', () => {
  test('gives, for every task of every plain and zstd log, the values JSON.parse finds at the same paths', async () => {
    const { sources } = await discoverLogs([corpusDir()!]);
    let compared = 0;
    for (const source of sources.filter((s) => !/\.(lz4|lzf|snappy|inprogress)$/.test(s.logPath))) {
      const simple = rawText(source.parts.map((p) => p.path))
        .split('\n')
        .filter((l) => l.startsWith('{"Event":"SparkListenerTaskEnd"'))
        .flatMap((l) => {
          try {
            return [simpleRow(JSON.parse(l))];
          } catch {
            return [];
          }
        })
        .sort();
      const db = await ingested(source.logPath);
      const fast = (await db.all(FAST_SQL)).map((r) => JSON.stringify(jsonColumns.map(([n]) => r[n]))).sort();
      db.close();
      expect(fast, source.logPath).toEqual(simple);
      compared += fast.length;
    }
    expect(compared).toBeGreaterThan(30_000);
  });
});
