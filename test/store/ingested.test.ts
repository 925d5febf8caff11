import { expect, test } from 'vitest';
import type { LogSource } from '../../src/source/discover.js';
import { Db } from '../../src/store/db.js';
import { loadKnownFiles } from '../../src/store/ingested.js';
import { createSchema } from '../../src/store/schema.js';

const source = (...paths: string[]): LogSource => ({ layout: 'rolling', logPath: '/logs/x', parts: paths.map((path) => ({ path, size: 1, mtimeMs: 1 })) });

test('what was stored is loaded for the files about to be checked only, not for every file of the database', async () => {
  const db = await Db.open(':memory:');
  try {
    await createSchema(db);
    await db.run(`INSERT INTO ingested_files (app_key, path, log_path, part_index, codec, size_bytes, mtime, fingerprint, complete)
      SELECT 'app-' || i, '/logs/part-' || i, '/logs/x', i, 'none', 1000 + i, epoch_ms(1700000000000 + i), 'f' || i, true FROM range(5000) r(i)`);
    const known = await loadKnownFiles(db, [source('/logs/part-7', '/logs/part-4999'), source('/logs/new')]);
    expect(Object.fromEntries(known)).toEqual({
      '/logs/part-7': { size: 1007, mtimeMs: 1700000000007, fingerprint: 'f7' },
      '/logs/part-4999': { size: 5999, mtimeMs: 1700000004999, fingerprint: 'f4999' },
    });
    expect((await loadKnownFiles(db, [])).size).toBe(0);
  } finally {
    db.close();
  }
});
