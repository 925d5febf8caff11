import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A generated benchmark input kept in `dir` between runs: its description is read back from `<name>.meta.json`,
 * written last so that it marks a whole input, while `isWhole` still holds for it; otherwise `generate` makes it.
 */
export async function cachedInput<T>(
  dir: string, name: string, isWhole: (made: T) => boolean, generate: () => T | Promise<T>,
): Promise<{ made: T; generatedMs?: number }> {
  const metaPath = path.join(dir, `${name}.meta.json`);
  if (existsSync(metaPath)) {
    const made = JSON.parse(readFileSync(metaPath, 'utf8')) as T;
    if (isWhole(made)) return { made };
  }
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const made = await generate();
  writeFileSync(metaPath, JSON.stringify(made, null, 2));
  return { made, generatedMs: Date.now() - started };
}
