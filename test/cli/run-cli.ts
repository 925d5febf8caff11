import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/sparkopt.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `sparkopt` as a user would (npm test builds first). */
export function sparkopt(...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function spawnSparkopt(...args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export { tempDir } from '../temp-dirs.js';

/** Row counts of every per-app table: what must not change when bad input arrives. */
export function tableCounts(db: string): Record<string, number> {
  const sql = `SELECT (SELECT count(*) FROM apps) AS apps, (SELECT count(*) FROM jobs) AS jobs, (SELECT count(*) FROM stages) AS stages,
    (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM executors) AS executors, (SELECT count(*) FROM spark_properties) AS props,
    (SELECT count(*) FROM sql_executions) AS sql, (SELECT count(*) FROM ingested_files) AS files`;
  const result = sparkopt('sql', '--db', db, '--format', 'json', sql);
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout)[0];
}
