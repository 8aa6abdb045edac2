import { describe, expect, it } from 'vitest';
import { createLogger, type LogFormat, type LogLevel } from './logger.js';

function capture(level: LogLevel, format: LogFormat) {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    format,
    destination: {
      write: (s: string | Uint8Array) =>
        void lines.push(...Buffer.from(s).toString('utf8').split('\n').filter(Boolean)),
    },
  });
  return { logger, lines };
}

describe('createLogger', () => {
  it("json: pino's lines (level number, time, pid, hostname, fields, msg)", () => {
    const { logger, lines } = capture('info', 'json');
    logger.log('info', 'GET /x 200 1ms op', { status: 200, operation: 'op' });
    logger.log('error', 'boom');
    const [a, b] = lines.map((l) => JSON.parse(l));
    expect(a).toMatchObject({ level: 30, pid: process.pid, msg: 'GET /x 200 1ms op', status: 200, operation: 'op' });
    expect(typeof a.time).toBe('number');
    expect(typeof a.hostname).toBe('string');
    expect(b).toMatchObject({ level: 50, msg: 'boom' });
  });

  it.each([
    ['silent', []],
    ['error', [50]],
    ['warn', [40, 50]],
    ['info', [30, 40, 50]],
    ['debug', [20, 30, 40, 50]],
  ] as const)('level %s writes levels %j', (level, written) => {
    const { logger, lines } = capture(level, 'json');
    for (const l of ['debug', 'info', 'warn', 'error'] as const) logger.log(l, l);
    expect(lines.map((line) => JSON.parse(line).level)).toEqual(written);
    expect(logger.isEnabled('info')).toBe(written.includes(30 as never));
  });

  it('the banner is written at every level, silent included, in both formats', () => {
    const json = capture('silent', 'json');
    json.logger.banner('credits-mock listening on http://127.0.0.1:1');
    expect(JSON.parse(json.lines[0]!)).toMatchObject({
      level: 30,
      msg: 'credits-mock listening on http://127.0.0.1:1',
    });
    const pretty = capture('silent', 'pretty');
    pretty.logger.banner('credits-mock listening on http://127.0.0.1:1');
    expect(pretty.lines).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}credits-mock listening on http:\/\/127\.0\.0\.1:1$/),
    ]);
  });

  it('pretty: time, level and message, one line each, below the level dropped', () => {
    const { logger, lines } = capture('warn', 'pretty');
    logger.log('info', 'dropped');
    logger.log('warn', 'contract violation in GET /x');
    expect(lines).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}contract violation in GET \/x$/)]);
  });
});

describe("the JSON line (pino's shape)", () => {
  it('escapes what JSON must, and writes a non-finite number as null', () => {
    const { logger, lines } = capture('info', 'json');
    logger.log('info', 'a "quoted"\npath', { path: '/x"y', n: Number.NaN, ok: true });
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'a "quoted"\npath', path: '/x"y', n: null, ok: true });
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['level', 'time', 'pid', 'hostname', 'path', 'n', 'ok', 'msg']);
  });
});

describe('request lines', () => {
  const r = {
    dialect: 'waldur',
    method: 'GET',
    path: '/api/customer-credits/',
    status: 200,
    durationMs: 1.25,
    operation: 'customer_credits_list',
  };

  it.each(['json', 'pretty'] as const)('%s: the same as log() with the fields', (format) => {
    const fast = capture('info', format);
    const slow = capture('info', format);
    const odd = {
      ...r,
      dialect: 'maple',
      method: 'PO"ST',
      operation: 'op\\"\u0001',
      path: '/api/v1/"odd"\u00e9\u0001\\\ud800',
    };
    for (const line of [r, { ...r, operation: null, path: '/api/v1/"odd"\u00e9' }, odd, odd, r]) {
      fast.logger.request(line);
      const msg = `${line.method} ${line.path} ${line.status} ${line.durationMs}ms ${line.operation ?? '-'}`;
      slow.logger.log('info', msg, {
        dialect: line.dialect,
        method: line.method,
        path: line.path,
        status: line.status,
        duration_ms: line.durationMs,
        operation: line.operation,
      });
    }
    fast.logger.flush();
    const strip = (l: string) => (format === 'json' ? { ...JSON.parse(l), time: 0 } : l.slice(13));
    expect(fast.lines.map(strip)).toEqual(slow.lines.map(strip));
  });

  it('are not written below info', () => {
    const { logger, lines } = capture('warn', 'json');
    logger.request(r);
    logger.flush();
    expect(lines).toEqual([]);
  });

  it('are made in batches: written within 25 ms, before a later line, at flush, and every 64 requests', async () => {
    const { logger, lines } = capture('info', 'json');
    logger.request({ ...r, path: '/a', time: Date.UTC(2026, 0, 1) });
    expect(lines).toEqual([]);
    await new Promise((done) => setTimeout(done, 60));
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([{ path: '/a', time: Date.UTC(2026, 0, 1) }]);

    logger.request({ ...r, path: '/b' });
    logger.log('warn', 'after /b');
    expect(lines.slice(1).map((l) => JSON.parse(l).msg)).toEqual([expect.stringContaining('/b'), 'after /b']);

    for (let i = 0; i < 64; i++) logger.request({ ...r, path: `/${i}` });
    expect(lines).toHaveLength(3 + 64);
    expect(JSON.parse(lines.at(-1)!).path).toBe('/63');
    logger.request({ ...r, path: '/last' });
    logger.flush();
    expect(JSON.parse(lines.at(-1)!).path).toBe('/last');
  });

  it('pretty: the time of day is when the request was answered', () => {
    const { logger, lines } = capture('info', 'pretty');
    const at = new Date(2026, 0, 1, 13, 4, 5, 67).getTime();
    logger.request({ ...r, time: at });
    logger.flush();
    expect(lines).toEqual(['13:04:05.067 INFO  GET /api/customer-credits/ 200 1.25ms customer_credits_list']);
  });
});
