// The machine a run was measured on, recorded with the results: numbers from different machines don't compare.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './paths.js';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGB: number;
  node: string;
  platform: string;
  kernel: string;
  sparkopt: string;
  duckdbNodeApi: string;
}

function versionOf(packageJson: string): string {
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGB: Math.round((os.totalmem() / 1e9) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    sparkopt: versionOf(path.join(REPO, 'package.json')),
    duckdbNodeApi: versionOf(path.join(REPO, 'node_modules/@duckdb/node-api/package.json')),
  };
}
