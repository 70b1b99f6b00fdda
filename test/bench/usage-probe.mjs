/**
 * Preloaded into the idm process the bench runs (`node --import`): on exit, writes the process's peak resident set
 * size (bytes, the kernel's own high-water mark, so no spike is missed) and the CPU time it used (ms), as JSON, to
 * the file named by IDM_BENCH_USAGE_FILE. CPU time says what the work costs when other processes share the machine
 * and stretch the wall time.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.IDM_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ peakRssBytes: usage.maxRSS * 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
