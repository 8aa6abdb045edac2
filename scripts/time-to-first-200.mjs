// Measures how long `npm start` takes to answer its first 200: starts it on a
// free port, polls GET /__admin/health every 20 ms, prints the time, stops it.
// Usage: node scripts/time-to-first-200.mjs [runs]   (default 3)
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

async function once() {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent', '--', '--port', String(port)], { detached: true, stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error('npm start exited before answering');
      if (performance.now() - started > 60_000) throw new Error('no 200 within 60 s');
      const ok = await fetch(`http://127.0.0.1:${port}/__admin/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

const runs = Number(process.argv[2] ?? 3);
for (let i = 1; i <= runs; i++) {
  const ms = await once();
  console.log(`run ${i}: first 200 after ${ms.toFixed(0)} ms`);
}
