// Preloaded with `node --require` into every measured child (sparkopt itself included, which stays untouched):
// at exit it writes the process's own peak RSS and CPU time to $BENCH_USAGE_OUT. Both count the whole
// process, so DuckDB's native memory and threads are included. CommonJS: an ES module preloaded with --import
// starts Node's thread pool before sparkopt's launcher sets its size (see bin/sparkopt.js).
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.env.BENCH_USAGE_OUT;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ maxRssKiB: ownPeakRssKiB() ?? u.maxRSS, userCpuUs: u.userCPUTime, systemCpuUs: u.systemCPUTime }));
  });
}

/**
 * Linux's VmHWM: the peak of this process's own memory. getrusage's ru_maxrss is not enough there: it keeps the
 * peak of the process before exec, i.e. of the bench's own process at fork (which holds a generated log while
 * it writes it), so every child reported at least the bench's 485 MB.
 */
function ownPeakRssKiB(): number | undefined {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return hwm ? Number(hwm[1]) : undefined;
  } catch {
    return undefined;
  }
}
