// Where the benchmark reads its source log and writes everything else. Resolved from this file's location
// (dist/test/bench/ once compiled) so `npm run bench` works from any working directory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repo root: three levels above dist/test/bench/. */
export const REPO = path.resolve(here, '../../..');
/** Compiled benchmark scripts (child processes are spawned from here). */
export const BENCH_DIST = here;
/** Git-ignored output folder: generated logs (cached across runs), databases, plain copies, results. */
export const OUT = path.join(REPO, 'bench-out');
export const LOGS_DIR = path.join(OUT, 'logs');
export const PLAIN_DIR = path.join(OUT, 'plain');
export const DB_DIR = path.join(OUT, 'db');

export const CORPUS = process.env.SPARKOPT_CORPUS ?? path.resolve(REPO, '../shared/eventlogs');
/** The real log every generated input is built from: one NDS q72 run on Dataproc, 48 MB, 13.5k tasks. */
export const SOURCE_LOG = path.join(CORPUS, 'rapids/spark-events-qualification/nds_q72_dataproc_2_2.zstd');

export const SPARKOPT_BIN = path.join(REPO, 'bin/sparkopt.js');

/** Decimal units throughout: sizes, MB/s and RSS are reported in 10^6 bytes. */
export const MB = 1_000_000;
