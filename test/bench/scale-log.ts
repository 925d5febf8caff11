// Makes one large, realistic app: the header of a real log once, then its body (jobs, stages, tasks, SQL
// executions) repeated with renumbered ids and shifted clocks, cut at the first idle point past the target size,
// then ApplicationEnd. Written streaming in every codec Spark writes (zstd, lz4, snappy, lzf) in the same pass.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cachedInput } from './cached-input.js';
import { type LogTemplate, type Shift, isIdle, newOpenWork, render, track } from './log-template.js';
import { OUT_CODECS, type OutCodec, SparkLogWriter } from './spark-writer.js';

export interface ScaledLog {
  name: string;
  targetBytes: number;
  plainBytes: number;
  lines: number;
  taskEnds: number;
  /** Copies of the body, the last possibly partial (cut between jobs). */
  copies: number;
  appId: string;
  files: Record<OutCodec, string>;
  compressedBytes: Record<OutCodec, number>;
}

/** Copy k of the body: ids move past the previous copy's largest, clocks by k whole app spans. */
function shiftOf(t: LogTemplate, k: number): Shift {
  return {
    job: k * (t.maxId.job + 1),
    stage: k * (t.maxId.stage + 1),
    task: k * (t.maxId.task + 1),
    sql: k * (t.maxId.sql + 1),
    clock: k * t.spanMs,
  };
}

/** Body lengths (in lines) at which no job, stage or SQL execution is running: where a log may be cut. */
function idlePoints(t: LogTemplate): { lines: number; bytes: number }[] {
  const open = newOpenWork();
  const points: { lines: number; bytes: number }[] = [];
  let bytes = 0;
  t.body.forEach((line, i) => {
    track(open, line);
    bytes += line.bytes;
    if (isIdle(open)) points.push({ lines: i + 1, bytes });
  });
  return points;
}

export function generateScaledLog(t: LogTemplate, name: string, targetBytes: number, dir: string): ScaledLog {
  const files = Object.fromEntries(OUT_CODECS.map((codec) => [codec, path.join(dir, `${name}.${codec}`)])) as Record<OutCodec, string>;
  const writer = new SparkLogWriter(OUT_CODECS.map((codec) => ({ path: files[codec], codec })));
  const sum = (lines: { bytes: number }[]): number => lines.reduce((a, l) => a + l.bytes, 0);
  const bodyBytes = sum(t.body);
  const room = targetBytes - sum(t.header) - t.end.bytes;
  const full = Math.max(1, Math.floor(room / bodyBytes));
  const rest = room - full * bodyBytes;
  // Sizes are estimated from the source lines; renumbered ids add a few digits, so the result is a bit larger.
  const cut = rest > 0 ? (idlePoints(t).find((p) => p.bytes >= rest)?.lines ?? t.body.length) : 0;
  const copies = full + (cut > 0 ? 1 : 0);
  let taskEnds = 0;

  for (const line of t.header) writer.line(line.event, render(line, shiftOf(t, 0)));
  for (let k = 0; k < copies; k++) {
    const shift = shiftOf(t, k);
    const n = k < full ? t.body.length : cut;
    for (let i = 0; i < n; i++) {
      const line = t.body[i]!;
      if (line.event === 'SparkListenerTaskEnd') taskEnds++;
      writer.line(line.event, render(line, shift));
    }
  }
  writer.line(t.end.event, render(t.end, shiftOf(t, copies - 1)));
  const written = writer.close();
  return {
    name, targetBytes, plainBytes: writer.plainBytes, lines: writer.lines, taskEnds,
    copies: full + (cut > 0 ? cut / t.body.length : 0), appId: t.appId, files,
    compressedBytes: Object.fromEntries(OUT_CODECS.map((codec, i) => [codec, written[i]!.bytes])) as Record<OutCodec, number>,
  };
}

/** The cached log of that size, generated when missing. */
export async function ensureScaledLog(
  template: () => Promise<LogTemplate>, targetBytes: number, name: string, dir: string,
): Promise<{ log: ScaledLog; generatedMs?: number }> {
  const isWhole = (log: ScaledLog) => OUT_CODECS.every((codec) => log.files[codec] !== undefined && existsSync(log.files[codec]));
  const { made, generatedMs } = await cachedInput(dir, name, isWhole, async () => generateScaledLog(await template(), name, targetBytes, dir));
  return { log: made, generatedMs };
}
