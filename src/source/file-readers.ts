import { Worker } from 'node:worker_threads';

/**
 * Threads that read files whole, for a fleet on slow storage (a cold disk, a network mount), where reading many
 * small files at once overlaps their latencies. Node's own thread pool cannot do it: sparkopt keeps it at two
 * threads (see bin/sparkopt.js), one of them busy with DuckDB's statement most of the time. Measured with every
 * file open delayed 5 ms (strace), the 1,000-app fleet: through a pool of two 5.0-6.3 s, of four 3.7-4.1 s,
 * through these threads beside a pool of two 3.7-4.1 s (five rounds each), at 36 MB more peak RSS.
 */
const THREADS = 4;

/** Each thread reads synchronously, one file at a time, and hands the bytes over without copying them. */
const READER = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
parentPort.on('message', ({ id, file }) => {
  try {
    const read = readFileSync(file);
    const bytes = read.byteOffset === 0 && read.byteLength === read.buffer.byteLength ? read : Buffer.from(read);
    parentPort.postMessage({ id, bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, code: error.code, message: error.message });
  }
});`;

interface Reply {
  id: number;
  bytes?: Uint8Array;
  code?: string;
  message?: string;
}

interface Waiting {
  resolve: (bytes: Buffer) => void;
  reject: (error: Error) => void;
}

class ReaderThread {
  private readonly worker = new Worker(READER, { eval: true });
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;

  constructor() {
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    // A thread that died cannot answer: its reads fail instead of waiting forever.
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`file reader thread exited (${code})`)));
    this.worker.unref();
  }

  read(file: string): Promise<Buffer> {
    const id = this.nextId++;
    // Idle, the thread must not keep the process alive; reading, it must (a read awaited alone would end it).
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, file });
    });
  }

  private settle(reply: Reply): void {
    const reader = this.waiting.get(reply.id)!;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (reply.bytes) reader.resolve(Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength));
    else reader.reject(Object.assign(new Error(reply.message), { code: reply.code }));
  }

  private failAll(error: Error): void {
    for (const reader of this.waiting.values()) reader.reject(error);
    this.waiting.clear();
  }
}

/** Started with the first read and kept for the process: idle, they hold nothing and keep nothing alive. */
let threads: ReaderThread[] | undefined;
let turn = 0;

/** Reads `file` whole on one of the threads, in turn. An error keeps its `code` (ENOENT: see asInputError). */
export function readOnThread(file: string): Promise<Buffer> {
  threads ??= Array.from({ length: THREADS }, () => new ReaderThread());
  return threads[turn++ % THREADS]!.read(file);
}
