import { expect, test } from 'vitest';
import { useOneDuckDbArena } from '../../src/cli/duckdb-allocator.js';

test("the ingest asks DuckDB's allocator for one arena, unless the user configured it", () => {
  const env: NodeJS.ProcessEnv = {};
  useOneDuckDbArena(env);
  expect(env).toEqual({ DUCKDB_JE_MALLOC_CONF: 'narenas:1' });
  const configured: NodeJS.ProcessEnv = { DUCKDB_JE_MALLOC_CONF: 'narenas:4,dirty_decay_ms:0' };
  useOneDuckDbArena(configured);
  expect(configured).toEqual({ DUCKDB_JE_MALLOC_CONF: 'narenas:4,dirty_decay_ms:0' });
});
