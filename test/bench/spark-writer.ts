// Streams generated lines into compressed files the way Spark's EventLoggingListener would write them, without
// ever holding the log in memory (the colleague's encode* helpers take the whole plain log as one buffer).
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { Lz4BlockStream } from '../../fixtures/encode/lz4.js';
import { LzfStream } from '../../fixtures/encode/lzf.js';
import { SnappyJavaStream } from '../../fixtures/encode/snappy.js';
import type { CodecStream, Sink } from '../../fixtures/encode/spark-stream.js';
import { ZstdStream } from '../../fixtures/encode/zstd.js';

/** spark.io.compression.lz4.blockSize default (lz4-java's own default is 64 KiB). */
const SPARK_LZ4_BLOCK_SIZE = 32 * 1024;
const OUT_BUFFER_BYTES = 8 * 1024 * 1024;
/** Unflushed lines are handed to the codec in batches this big: same stream bytes, far fewer native calls. */
const BATCH_CHARS = 1024 * 1024;

// Spark 3.x logs these without flushing (copied from fixtures/encode/spark-stream.ts, which keeps it private).
// Every other event is flushed, which ends a zstd, snappy or lzf block; lz4-java ignores flushes.
const UNFLUSHED_EVENTS = new Set([
  'SparkListenerStageSubmitted', 'SparkListenerTaskStart', 'SparkListenerTaskGettingResult',
  'SparkListenerTaskEnd', 'SparkListenerEnvironmentUpdate', 'SparkListenerStageExecutorMetrics',
]);

/** The codecs Spark writes event logs with (spark.eventLog.compression.codec). */
export const OUT_CODECS = ['zstd', 'lz4', 'snappy', 'lzf'] as const;
export type OutCodec = (typeof OUT_CODECS)[number];

const STREAMS: Record<OutCodec, (sink: Sink) => CodecStream> = {
  zstd: (sink) => new ZstdStream(sink),
  lz4: (sink) => new Lz4BlockStream(sink, SPARK_LZ4_BLOCK_SIZE),
  snappy: (sink) => new SnappyJavaStream(sink),
  lzf: (sink) => new LzfStream(sink),
};

/** One compressed output file, written to `<path>.tmp` and renamed on close so a killed run leaves no half log. */
class CodecFile {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(OUT_BUFFER_BYTES);
  private used = 0;
  readonly stream: CodecStream;
  bytesOut = 0;

  constructor(readonly path: string, codec: OutCodec) {
    this.fd = openSync(`${path}.tmp`, 'w');
    const sink = (bytes: Uint8Array): void => this.sink(bytes);
    this.stream = STREAMS[codec](sink);
  }

  // The codec reuses `bytes` after the call: copy now.
  private sink(bytes: Uint8Array): void {
    this.bytesOut += bytes.length;
    if (this.used + bytes.length > this.buffer.length) this.drain();
    if (bytes.length > this.buffer.length) writeSync(this.fd, bytes);
    else {
      this.buffer.set(bytes, this.used);
      this.used += bytes.length;
    }
  }

  private drain(): void {
    if (this.used > 0) writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }

  close(): void {
    this.stream.close();
    this.drain();
    closeSync(this.fd);
    renameSync(`${this.path}.tmp`, this.path);
  }
}

/** Writes the same lines to several codec files at once (one generation pass makes the log in every codec). */
export class SparkLogWriter {
  private readonly files: CodecFile[];
  private pending = '';
  plainBytes = 0;
  lines = 0;

  constructor(outputs: { path: string; codec: OutCodec }[]) {
    this.files = outputs.map((o) => new CodecFile(o.path, o.codec));
  }

  /** `text` is one line without its newline; latin1, since the template was decoded as latin1. */
  line(event: string, text: string): void {
    this.pending += text + '\n';
    this.plainBytes += text.length + 1;
    this.lines++;
    const flush = !UNFLUSHED_EVENTS.has(event);
    if (flush || this.pending.length >= BATCH_CHARS) this.push(flush);
  }

  private push(flush: boolean): void {
    const bytes = Buffer.from(this.pending, 'latin1');
    this.pending = '';
    for (const f of this.files) {
      f.stream.write(bytes);
      if (flush) f.stream.flush();
    }
  }

  close(): { path: string; bytes: number }[] {
    if (this.pending.length > 0) this.push(false);
    for (const f of this.files) f.close();
    return this.files.map((f) => ({ path: f.path, bytes: f.bytesOut }));
  }
}
