import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { BIN, tempDir } from './run-cli.js';

/**
 * Runs `sparkopt --version` with a preloaded probe that reports, at exit, the pool size the environment asks
 * for and the process's thread count: Node's pool threads are among them once a file was read asynchronously
 * (loading the CLI's modules does), so the count shows the size Node really used.
 */
function launch(env: NodeJS.ProcessEnv): { pool: string; threads: number } {
  const probe = path.join(tempDir(), 'pool-probe.cjs');
  writeFileSync(probe, `process.on('exit', () => process.stderr.write(JSON.stringify({
    pool: process.env.UV_THREADPOOL_SIZE, threads: require('node:fs').readdirSync('/proc/self/task').length })));`);
  const result = spawnSync(process.execPath, ['--require', probe, BIN, '--version'], { encoding: 'utf8', env });
  expect(result.status).toBe(0);
  return JSON.parse(result.stderr);
}

test.runIf(existsSync('/proc/self/task'))("the launcher sizes Node's thread pool at two before it starts, unless the user sized it", () => {
  const { UV_THREADPOOL_SIZE: _, ...withoutPool } = process.env;
  const ours = launch(withoutPool);
  const users = launch({ ...withoutPool, UV_THREADPOOL_SIZE: '5' });
  expect(ours.pool).toBe('2');
  expect(users.pool).toBe('5');
  // Set after the pool started, the variable would change nothing: both would run Node's default four.
  expect(users.threads - ours.threads).toBe(3);
});

test('`npx sparkopt` in the project finds the launcher, as the README\'s first command runs it', () => {
  const root = path.resolve(path.dirname(BIN), '..');
  const result = spawnSync('npx', ['--no-install', 'sparkopt', '--version'], { cwd: root, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
});

test('`sparkopt --version` prints the package\'s version from any folder, one with a dot in its name too', () => {
  const { version } = JSON.parse(readFileSync(path.resolve(path.dirname(BIN), '..', 'package.json'), 'utf8'));
  const elsewhere = path.join(tempDir(), 'logs.v2');
  mkdirSync(elsewhere);
  const result = spawnSync(process.execPath, [BIN, '--version'], { cwd: elsewhere, encoding: 'utf8' });
  expect(result.stdout.trim()).toBe(version);
  expect(version).toMatch(/^\d+\.\d+\.\d+/);
});

test('`sparkopt --version` alone loads no command, so not DuckDB; `--help` still lists every command', () => {
  // Refuses DuckDB's client and its native library wherever the CLI asks for them.
  const guard = path.join(tempDir(), 'no-duckdb.cjs');
  writeFileSync(guard, `const Module = require('node:module'); const load = Module._load;
    Module._load = function (request, ...rest) {
      if (String(request).includes('@duckdb/')) throw new Error('DuckDB loaded');
      return load.call(this, request, ...rest);
    };`);
  const run = (...args: string[]) => spawnSync(process.execPath, ['--require', guard, BIN, ...args], { encoding: 'utf8' });
  const version = run('--version');
  expect(version.stderr).toBe('');
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  // The guard does bite: help loads every command's module, DuckDB among them.
  expect(run('--help').stderr).toContain('DuckDB loaded');
  expect(spawnSync(process.execPath, [BIN, '--version', '--help'], { encoding: 'utf8' }).stdout).toContain('sparkopt report');
});
