import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawText } from './raw-counts.js';

export const FIXTURE_LOGS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/logs');

/** Every event of a log, parsed with JSON.parse: the independent side of the view tests. */
export function rawEvents(...files: string[]): Record<string, any>[] {
  return rawText(files)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
}

export const taskEnds = (events: Record<string, any>[]) => events.filter((e) => e.Event === 'SparkListenerTaskEnd');
export const taskMs = (e: Record<string, any>) => e['Task Info']['Finish Time'] - e['Task Info']['Launch Time'];
export const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
