// Preloaded with `node --import` into every measured child (sparkopt itself included, which stays untouched):
// at exit it writes the process's own peak RSS and CPU time to $BENCH_USAGE_OUT. getrusage counts the whole
// process, so DuckDB's native memory and threads are included. Works wherever Node runs, unlike /usr/bin/time.
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_USAGE_OUT;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ maxRssKiB: u.maxRSS, userCpuUs: u.userCPUTime, systemCpuUs: u.systemCPUTime }));
  });
}
