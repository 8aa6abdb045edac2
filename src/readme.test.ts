import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './paths.js';

/**
 * The README's shell examples, run top to bottom against one freshly started
 * mock (`--now 2026-11-20`, as the setup section says): every block made only
 * of curl calls and variables runs, every request must answer below 400, and
 * every `# → …` line must match the output of the command just before it (`…`
 * stands for anything). Blocks that start processes (npm, nginx, credits-mock
 * serve) are covered by their own tests.
 */
const README = readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
const README_BASE = '127.0.0.1:4010';

interface Block {
  index: number;
  script: string;
  expectations: string[];
}

function runnableBlocks(): Block[] {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m, index) => ({ index, text: m[1]! }));
  return blocks
    .filter((b) => b.text.includes('curl') && !/^\s*(npm|npx|node|nginx|credits-mock|cd)\b/m.test(b.text))
    .map((b) => {
      const expectations: string[] = [];
      const script = b.text
        .split('\n')
        .map((line) => {
          const m = /^# → (.*)$/.exec(line);
          if (!m) return line;
          expectations.push(m[1]!);
          return `printf '@@CHECK ${expectations.length - 1}@@\\n'`;
        })
        .join('\n');
      return { index: b.index, script, expectations };
    });
}

/** A README output line as a pattern: `…` is anything, spaces next to it are optional. */
function pattern(expected: string): RegExp {
  const parts = expected.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.map((p, i) => (i === 0 ? p.replace(/\s+$/, '') : p.trim())).join('[\\s\\S]*')}$`);
}

/** curl, as the README calls it, with its status on stderr and a marker after each answer printed by the script itself. */
const PRELUDE = `curl() { command curl "$@" --write-out '%{stderr}HTTP %{http_code}\\n'; local rc=$?; if [ "$BASH_SUBSHELL" -eq 0 ]; then printf '\\n@@END@@\\n'; fi; return $rc; }\n`;

let mock: ChildProcess;
let base = '';

beforeAll(async () => {
  mock = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(PACKAGE_ROOT, 'src', 'bin.ts'),
      'serve',
      '--port',
      '0',
      '--now',
      '2026-11-20',
      '--self-check',
      'strict',
    ],
    {
      cwd: PACKAGE_ROOT,
    },
  );
  let output = '';
  base = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /listening on http:\/\/(\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    mock.stdout!.on('data', onData);
    mock.stderr!.on('data', onData);
    mock.once('exit', (code) => reject(new Error(`the mock exited with ${code}: ${output}`)));
  });
});

afterAll(() => {
  mock?.kill('SIGKILL');
});

describe('the README, run top to bottom', () => {
  const blocks = runnableBlocks();

  it('has examples to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  for (const block of blocks) {
    it(`shell block ${block.index + 1} answers as the README shows`, () => {
      const script = PRELUDE + block.script.replaceAll(README_BASE, base);
      const run = spawnSync('bash', ['-o', 'pipefail', '-c', script], { encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      const statuses = [...run.stderr.matchAll(/^HTTP (\d{3})$/gm)].map((m) => Number(m[1]));
      expect(statuses.length).toBeGreaterThan(0);
      expect(
        statuses.filter((s) => s >= 400),
        run.stdout,
      ).toEqual([]);
      let answers: string[] = [];
      for (const chunk of run.stdout.split(/(@@CHECK \d+@@\n)/)) {
        const check = /^@@CHECK (\d+)@@\n$/.exec(chunk);
        if (!check) {
          answers = chunk
            .split('\n@@END@@\n')
            .map((a) => a.trim())
            .filter((a) => a !== '');
          continue;
        }
        const expected = block.expectations[Number(check[1])]!.replaceAll(README_BASE, base);
        expect(answers.at(-1), `README: ${expected}`).toMatch(pattern(expected));
      }
    });
  }
});
