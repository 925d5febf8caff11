/** Errors any step may throw; each carries the process exit code the CLI should use. */
export class SparkoptError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 | 3) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command-line usage: unknown flag, app or value. */
export class UsageError extends SparkoptError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** An input that cannot be read at all; other inputs are still ingested. */
export class InputError extends SparkoptError {
  constructor(readonly file: string, readonly why: string) {
    super(`${file}: ${why}`, 1);
  }
}

/** sparkopt itself cannot go on: database locked or unreadable. */
export class FatalError extends SparkoptError {
  constructor(message: string) {
    super(message, 3);
  }
}

/**
 * A compressed stream that ends early (a running app's `.inprogress` log, a copy cut short).
 * Thrown by a decoder after it has yielded every byte it could recover: the reader keeps them and marks the
 * file incomplete.
 */
export class CutStreamError extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'CutStreamError';
  }
}
