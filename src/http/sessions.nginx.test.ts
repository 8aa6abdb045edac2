import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startMock, type Running } from '../../conformance/harness/processes.js';

/**
 * The README's scale-out recipe, run: two mock processes behind nginx, which
 * hashes on the session name, so each session lives in one process.
 */
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const DELTA = '6bad6be28e7a46e99f19950499dd251d';
const STAFF = { Authorization: 'Token staff-token' };
const NAMES = Array.from({ length: 12 }, (_, i) => `team-${i}`);

/** The recipe's nginx.conf, with everything nginx writes kept in `dir` (runs as any user, touches no /etc or /var). */
function nginxConfig(dir: string, port: number, backends: string[]): string {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log notice;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  # The session name; paths outside a session share one key, so they all reach one process
  # (an empty key would make nginx fall back to round robin).
  map $uri $session {
    ~^/__session/(?<s>[^/]+)/ $s;
    default "-";
  }
  upstream credits_mock {
    hash $session consistent;
${backends.map((b) => `    server ${b};`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://credits_mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # The mock builds its absolute URLs from Host: keep the one the client used.
      proxy_set_header Host $http_host;
      proxy_max_temp_file_size 0;
    }
  }
}
`;
}

async function waitUntilUp(url: string, nginx: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited with ${nginx.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/__admin/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not answer at ${url}:\n${log()}`);
}

const namesOn = async (backend: Running): Promise<string[]> =>
  ((await (await fetch(`${backend.url}/__admin/sessions`)).json()) as { sessions: { name: string }[] }).sessions.map(
    (s) => s.name,
  );

describe('scale-out: two mocks behind nginx hashing the session name', () => {
  let dir = '';
  let url = '';
  let backends: Running[] = [];
  let nginx: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    if (!NGINX)
      throw new Error(
        'nginx is not installed (looked for /usr/sbin/nginx and /usr/bin/nginx): install it with apt-get install nginx, as .ci/run does',
      );
    backends = await Promise.all([startMock(), startMock()]);
    dir = mkdtempSync(path.join(tmpdir(), 'credits-mock-nginx-'));
    chmodSync(dir, 0o755); // nginx's workers may run as another user (nobody, when started as root)
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      nginxConfig(
        dir,
        port,
        backends.map((b) => new URL(b.url).host),
      ),
    );
    nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')]);
    nginx.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    nginx.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const log = () =>
      output + (existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8') : '');
    await waitUntilUp(url, nginx, log);
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx!.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await Promise.all(backends.map((b) => b.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps each session's requests on one process, and the processes' sessions apart", async () => {
    const made = new Map<string, string>();
    for (const name of NAMES) {
      const base = `${url}/__session/${name}`;
      const res = await fetch(`${base}/api/customer-credits/`, {
        method: 'POST',
        headers: { ...STAFF, 'Content-Type': 'application/json' },
        body: JSON.stringify({ customer: `${base}/api/customers/${DELTA}/`, value: `${100 + NAMES.indexOf(name)}.00` }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const credit = (await res.json()) as { uuid: string; url: string };
      expect(credit.url).toBe(`${base}/api/customer-credits/${credit.uuid}/`);
      made.set(name, credit.uuid);
    }
    // Read each session's credit again and again through nginx: always there, always with that session's value.
    for (let round = 0; round < 3; round++) {
      for (const name of NAMES) {
        const res = await fetch(`${url}/__session/${name}/api/customer-credits/?customer_uuid=${DELTA}`, {
          headers: STAFF,
        });
        const list = (await res.json()) as { uuid: string; value: string }[];
        expect(list.map((c) => [c.uuid, c.value])).toEqual([[made.get(name), `${100 + NAMES.indexOf(name)}.00000`]]);
      }
    }
    // Each session lives in exactly one process, and both processes hold some.
    const [onA, onB] = await Promise.all(backends.map(namesOn));
    for (const name of NAMES) expect([onA!.includes(name), onB!.includes(name)].filter(Boolean), name).toHaveLength(1);
    expect(onA!.length).toBeGreaterThan(0);
    expect(onB!.length).toBeGreaterThan(0);
    // Asked directly, the other process knows nothing of a session's credit (and makes a fresh session for it).
    const name = onA![0]!;
    const elsewhere = await fetch(`${backends[1]!.url}/__session/${name}/api/customer-credits/${made.get(name)}/`, {
      headers: STAFF,
    });
    expect(elsewhere.status).toBe(404);
    const home = await fetch(`${backends[0]!.url}/__session/${name}/api/customer-credits/${made.get(name)}/`, {
      headers: STAFF,
    });
    expect(home.status).toBe(200);
    // Requests outside a session all reach one process: a default-world credit is seen on every read.
    const plain = await fetch(`${url}/api/customer-credits/`, {
      method: 'POST',
      headers: { ...STAFF, 'Content-Type': 'application/json' },
      body: JSON.stringify({ customer: `${url}/api/customers/${DELTA}/`, value: '1.00' }),
    });
    expect(plain.status).toBe(201);
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${url}/api/customer-credits/?customer_uuid=${DELTA}`, { headers: STAFF });
      expect(((await res.json()) as unknown[]).length).toBe(1);
    }
  });
});
