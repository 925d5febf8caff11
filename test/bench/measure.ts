// Runs one measurement in a fresh Node process, so that peak RSS belongs to that measurement alone, and times it
// from spawn to exit: what a user waits for, Node start-up and DuckDB loading included, for us and baselines alike.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_DIST } from './paths.js';

export interface Measurement {
  wallMs: number;
  /** Peak resident set size in KiB (getrusage ru_maxrss), null if the child died before reporting it. */
  maxRssKiB: number | null;
  cpuMs: number | null;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of every run when repeated, to show the spread. */
  runsWallMs?: number[];
}

const PROBE = path.join(BENCH_DIST, 'usage-probe.cjs');
const TIMEOUT_MS = 60 * 60 * 1000;

/** Runs `node <args>` with the usage probe preloaded (and `env` added to this process's environment). */
export async function measure(args: string[], env: Record<string, string> = {}): Promise<Measurement> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sparkopt-bench-'));
  const usageFile = path.join(dir, 'usage.json');
  try {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', PROBE, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, BENCH_USAGE_OUT: usageFile },
      timeout: TIMEOUT_MS,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const usage = existsSync(usageFile)
      ? (JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKiB: number; userCpuUs: number; systemCpuUs: number })
      : undefined;
    return {
      wallMs,
      maxRssKiB: usage?.maxRssKiB ?? null,
      cpuMs: usage ? (usage.userCpuUs + usage.systemCpuUs) / 1000 : null,
      exitCode,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The run with the median wall time of several runs of one measurement; peak RSS is the largest seen, so
 * repeating never hides a memory spike. A failed run is returned as it is.
 */
export function medianRun(runs: Measurement[]): Measurement {
  const failed = runs.find((r) => r.exitCode !== 0);
  if (failed) return failed;
  const median = [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((runs.length - 1) / 2)]!;
  const rss = runs.map((r) => r.maxRssKiB).filter((v): v is number => v !== null);
  return { ...median, maxRssKiB: rss.length > 0 ? Math.max(...rss) : null, runsWallMs: runs.map((r) => r.wallMs) };
}
