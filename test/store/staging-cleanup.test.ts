import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { ingested } from '../ingested.js';
import { FIXTURE_LOGS } from '../raw-events.js';
import { tempDir } from '../temp-dirs.js';

const savedTmpdir = process.env.TMPDIR;
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
});

test('an ingest in a long-lived process (not only the CLI, which exits) leaves no staging folder behind', async () => {
  const tmp = tempDir('sparkopt-staging-test-');
  process.env.TMPDIR = tmp;
  const db = await ingested(FIXTURE_LOGS, FIXTURE_LOGS);
  db.close();
  expect(db.summary.logs).toBe(12);
  expect(readdirSync(tmp)).toEqual([]);
});
