import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'vitest';

/** The shared event-log corpus: $SPARKOPT_CORPUS, else shared/eventlogs beside this repository. */
const CORPUS_DIR =
  process.env.SPARKOPT_CORPUS ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/eventlogs');

/** The corpus folder, or undefined when it is not on this machine. */
export function corpusDir(): string | undefined {
  return existsSync(CORPUS_DIR) ? CORPUS_DIR : undefined;
}

/** A path inside the corpus (whether or not the corpus is present). */
export function corpusPath(...parts: string[]): string {
  return path.join(CORPUS_DIR, ...parts);
}

/**
 * A describe block that needs the corpus. Without it the block is skipped with a loud warning, except under
 * CI, where a missing corpus must fail rather than let the suite pass having tested nothing.
 */
export function describeCorpus(name: string, body: () => void): void {
  if (corpusDir() !== undefined) {
    describe(name, body);
    return;
  }
  const why = `event-log corpus not found at ${CORPUS_DIR} (set SPARKOPT_CORPUS to its folder)`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      test('has the event-log corpus', () => {
        throw new Error(why);
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPING "${name}": ${why} ***\n`);
  describe(name, () => {
    test.skip(why, () => {});
  });
}
