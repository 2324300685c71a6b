// Preload for scripts/bench.mjs: `node -r scripts/bench-rss.cjs dist/safe-render.cjs ...` writes, when
// the process exits, its peak resident set size and the CPU time it used to the file named by
// SAFE_RENDER_RSS_FILE, as JSON: {"maxRSS": kilobytes, "cpuMs": user + system milliseconds}.
// Measured from inside the process (getrusage) so the figures are the same on every OS and need no
// /usr/bin/time. CPU time counts from process start, Node's start-up included, and sums all threads
// (GC helpers too); on a busy machine it stays far steadier than wall time. The preload itself adds
// one require of an already loaded built-in module.
'use strict';
const fs = require('node:fs');

const file = process.env.SAFE_RENDER_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(
      file,
      `${JSON.stringify({ maxRSS: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })}\n`,
    );
  });
}
