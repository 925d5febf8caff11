import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { BIN, tempDir } from './run-cli.js';

// Counts from fixtures/logs/README.md. main.ts loads only the module of the command being run: these check that every way of naming one still works.
const LOG = path.resolve(path.dirname(BIN), '../fixtures/logs/app-20260301103000-0002.zstd');

function sparkoptIn(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('a --db named like a command does not stand for the command', () => {
  const dir = tempDir();
  expect(sparkoptIn(dir, '--db', 'report', 'ingest', '--format', 'json', LOG).status).toBe(0);
  const apps = sparkoptIn(dir, '--db', 'report', 'apps', '--format', 'json');
  expect(apps.status).toBe(0);
  expect(JSON.parse(apps.stdout).map((a: { key: string; tasks: number }) => [a.key, a.tasks])).toEqual([['app-20260301103000-0002', 266]]);
  const sql = sparkoptIn(dir, '--db=report', 'sql', '--format', 'json', 'SELECT count(DISTINCT stage_id) AS n FROM stages');
  expect(JSON.parse(sql.stdout)).toEqual([{ n: 20 }]);
});

test('help lists every command, and a mistyped one is recognised', () => {
  const help = sparkoptIn(tempDir(), '--help');
  expect(help.status).toBe(0);
  for (const command of ['ingest <paths..>', 'apps', 'sql <query>', 'report [app]']) expect(help.stdout).toContain(`sparkopt ${command}`);
  const typo = sparkoptIn(tempDir(), 'reprt');
  expect(typo.status).toBe(2);
  expect(typo.stderr).toBe('sparkopt: Did you mean report? (see sparkopt --help)\n');
  expect(sparkoptIn(tempDir(), 'report', '--help').stdout).toContain('--threshold');
});
