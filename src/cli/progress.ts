import cliProgress from 'cli-progress';

/** A progress bar on stderr, only when stderr is a terminal; otherwise every call is a no-op. */
export interface Progress {
  add(rawBytes: number): void;
  fileDone(): void;
  stop(): void;
}

const MIB = 1024 * 1024;

export function startProgress(totalBytes: number, totalFiles: number, enabled: boolean): Progress {
  if (!enabled) return { add: () => undefined, fileDone: () => undefined, stop: () => undefined };
  const started = Date.now();
  let bytes = 0;
  let files = 0;
  const bar = new cliProgress.SingleBar(
    {
      format: ' {bar} {percentage}% | {files}/{totalFiles} logs | {mb}/{totalMb} MiB | {rate} MiB/s',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = () => ({
    files, totalFiles, mb: (bytes / MIB).toFixed(0), totalMb: (totalBytes / MIB).toFixed(0),
    rate: (bytes / MIB / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(0),
  });
  bar.start(Math.max(totalBytes, 1), 0, payload());
  return {
    add(n) { bytes += n; bar.update(bytes, payload()); },
    fileDone() { files++; bar.update(bytes, payload()); },
    stop() { bar.stop(); },
  };
}
