// Makes what bin/sparkopt.js runs (`npm run build` runs this after tsc): the CLI (src/cli/main.ts and what it
// loads) bundled into dist/bundle/, a chunk per command instead of ~100 of sparkopt's modules and ~150 of its
// dependencies', each resolved, read and compiled apart (measured: a 1 GB log's ingest 0.09 s and 0.13 CPU-s
// less, a 100 MB log's 0.05 s); the views' .sql files beside it; and the empty database a new one is copied
// from (src/store/new-database.ts).
import { build } from 'esbuild';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Db } from '../../src/store/db.js';
import { NEW_DATABASE_FILE } from '../../src/store/new-database.js';
import { createSchema } from '../../src/store/schema.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository: this file runs from dist/test/tools/. */
const ROOT = path.resolve(HERE, '..', '..', '..');
const OUT = path.join(ROOT, 'dist', 'bundle');

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [path.join(ROOT, 'src', 'cli', 'main.ts')],
  outdir: OUT,
  bundle: true,
  // Each command's module stays a chunk of its own, loaded only when that command runs (see main.ts).
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native addons: their loaders pick the binary for the platform at run time.
  external: ['@duckdb/node-bindings', 'zstd-napi'],
  // The CommonJS dependencies bundled in (DuckDB's client, cli-table3) require Node's modules and the addons.
  banner: { js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
// store/views.ts reads the views' .sql files beside the module that runs it.
cpSync(path.join(ROOT, 'src', 'store', 'views'), path.join(OUT, 'views'), { recursive: true });
await makeNewDatabase(path.join(OUT, NEW_DATABASE_FILE));

/** An empty database made by createSchema, whole in its file (no write-ahead log beside it). */
async function makeNewDatabase(file: string): Promise<void> {
  const making = `${file}.making`;
  rmSync(making, { force: true });
  const db = await Db.open(making);
  try {
    await createSchema(db);
    await db.run('CHECKPOINT');
  } finally {
    db.close();
  }
  if (existsSync(`${making}.wal`)) throw new Error(`${making}: a write-ahead log was left after the checkpoint`);
  renameSync(making, file);
}
