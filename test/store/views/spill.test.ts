import path from 'node:path';
import { expect, test } from 'vitest';
import { ingested } from '../../ingested.js';
import { FIXTURE_LOGS, rawEvents, taskEnds } from '../../raw-events.js';

test('spill: memory and disk spill per stage and for the app, as the raw lines sum them', async () => {
  const log = path.join(FIXTURE_LOGS, 'app-20260301103000-0002.zstd');
  const db = await ingested(log);
  let memory = 0;
  let disk = 0;
  const spilling = new Set<string>();
  for (const e of taskEnds(rawEvents(log))) {
    const m = e['Task Metrics']?.['Memory Bytes Spilled'] ?? 0;
    const d = e['Task Metrics']?.['Disk Bytes Spilled'] ?? 0;
    memory += m;
    disk += d;
    if (m > 0 || d > 0) spilling.add(`${e['Stage ID']}.${e['Stage Attempt ID']}`);
  }
  expect(memory).toBeGreaterThan(0);
  expect(await db.all('SELECT memory_spill_bytes, disk_spill_bytes, spills FROM spill WHERE stage_id IS NULL')).toEqual([
    { memory_spill_bytes: memory, disk_spill_bytes: disk, spills: true },
  ]);
  const stages = await db.all<{ s: string }>("SELECT stage_id || '.' || stage_attempt_id AS s FROM spill WHERE spills AND stage_id IS NOT NULL ORDER BY 1");
  expect(stages.map((r) => r.s)).toEqual([...spilling].sort());
  db.close();
});
