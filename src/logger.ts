import { hostname } from 'node:os';

/** How much the mock says: `silent` nothing, `info` (the default) a line per request. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
export type LogFormat = 'pretty' | 'json';
export type Level = Exclude<LogLevel, 'silent'>;

export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];
/** pino's level numbers. */
const NUMBERS: Record<LogLevel, number> = {
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  silent: Number.POSITIVE_INFINITY,
};

export type LogFields = Record<string, string | number | boolean | null>;

export interface RequestLine {
  dialect: string;
  method: string;
  path: string;
  status: number;
  /** Already rounded (to 0.01 ms). */
  durationMs: number;
  operation: string | null;
  /** When it was answered (Date.now()); when the line is written if absent. */
  time?: number;
}

/**
 * The mock's logger: request lines, self-check violations and internal errors.
 * JSON lines have pino's shape (`{"level":30,"time":<ms>,"pid":…,"hostname":…,
 * <fields>,"msg":…}`), so pino-pretty and log shippers read them; they are
 * written here rather than by pino, whose call cost the mock ~11 µs of CPU per
 * request (bench/observability.ts). Pretty lines are `HH:MM:SS.mmm LEVEL msg`.
 */
export interface Logger {
  readonly level: LogLevel;
  readonly format: LogFormat;
  isEnabled(level: Level): boolean;
  log(level: Level, msg: string, fields?: LogFields): void;
  /**
   * The line of one answered request, at info: `method path status duration operation`
   * (with fields dialect, method, path, status, duration_ms, operation in JSON).
   * The same as log() with those fields, written by a faster path: it runs on every request.
   * Lines are made in batches (`r` is kept until then: do not change it): they are
   * written within 25 ms, before any later log() line, and at flush().
   */
  request(r: RequestLine): void;
  /** Written at info whatever the level, `silent` included: the line that programs starting the mock wait for. */
  banner(msg: string): void;
  /** Writes out the request lines kept (before the process exits). */
  flush(): void;
}

/** Where lines go: anything with write(text). */
export interface LineSink {
  /** One or more whole lines. */
  write(text: string): unknown;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go: stdout unless given. */
  destination?: LineSink;
}

/** Request lines kept before they are made and written together (at most `REQUEST_DELAY_MS` later). */
const REQUEST_BATCH = 64;
const REQUEST_DELAY_MS = 25;

export function createLogger(opts: LoggerOptions): Logger {
  // stdout is written synchronously on Linux for files and pipes: a write is one system call, made per batch of lines.
  const dest = opts.destination ?? process.stdout;
  const threshold = NUMBERS[opts.level];
  const line = opts.format === 'json' ? jsonLine() : (level: Level, msg: string) => prettyLine(level, msg);
  const requestLine =
    opts.format === 'json' ? jsonRequestLine() : (r: RequestLine) => prettyLine('info', requestMessage(r), r.time);
  const requests = NUMBERS.info >= threshold;
  // Making a line as each request is answered cost several times what making the
  // same lines in a batch costs (docs/decisions/0015): requests are kept, then made together.
  const pending: RequestLine[] = [];
  let timer: NodeJS.Timeout | null = null;
  const writePending = () => {
    if (pending.length === 0) return;
    let text = '';
    for (const r of pending) text += requestLine(r);
    pending.length = 0;
    dest.write(text);
  };
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    writePending();
  };
  if (opts.destination === undefined) process.once('exit', flush);
  return {
    level: opts.level,
    format: opts.format,
    isEnabled: (level) => NUMBERS[level] >= threshold,
    log: (level, msg, fields) => {
      if (NUMBERS[level] < threshold) return;
      writePending();
      dest.write(line(level, msg, fields));
    },
    request: (r) => {
      if (!requests) return;
      if (pending.push(r) === REQUEST_BATCH) writePending();
      else if (timer === null) timer = setTimeout(flush, REQUEST_DELAY_MS).unref();
    },
    banner: (msg) => {
      writePending();
      dest.write(line('info', msg));
      flush();
    },
    flush,
  };
}

/** pino's line: level number, time, pid, hostname, the fields, msg. */
function jsonLine(): (level: Level, msg: string, fields?: LogFields) => string {
  const base = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
  return (level, msg, fields) => {
    let out = `{"level":${NUMBERS[level]},"time":${Date.now()}${base}`;
    if (fields) {
      for (const key in fields) {
        const v = fields[key];
        if (v !== undefined)
          out += `,${JSON.stringify(key)}:${typeof v === 'number' && !Number.isFinite(v) ? 'null' : JSON.stringify(v)}`;
      }
    }
    return `${out},"msg":${JSON.stringify(msg)}}\n`;
  };
}

const requestMessage = (r: RequestLine) => `${r.method} ${r.path} ${r.status} ${r.durationMs}ms ${r.operation ?? '-'}`;

/** Characters JSON must escape (a path may hold none in practice: it is percent-encoded). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

/** A JSON string's text without its quotes. */
const jsonInner = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s).slice(1, -1) : s);

/** The JSON text of the few strings every line repeats (dialects, methods, operationIds), made once each. */
function constantsCache(): (s: string) => string {
  const kept = new Map<string, string>();
  return (s) => {
    let inner = kept.get(s);
    if (inner === undefined) {
      inner = jsonInner(s);
      if (kept.size < 256) kept.set(s, inner);
    }
    return inner;
  };
}

/**
 * jsonLine() with the request's fields, as one template; `msg` is made from
 * the escaped parts (escaping is per character, so the escaped message is
 * the escaped parts joined), not built and then escaped again.
 */
function jsonRequestLine(): (r: RequestLine) => string {
  const base = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
  const constant = constantsCache();
  return (r) => {
    const method = constant(r.method);
    const path = jsonInner(r.path);
    const op = r.operation === null ? null : constant(r.operation);
    return `{"level":30,"time":${r.time ?? Date.now()}${base},"dialect":"${constant(r.dialect)}","method":"${method}","path":"${path}","status":${r.status},"duration_ms":${r.durationMs},"operation":${op === null ? 'null' : `"${op}"`},"msg":"${method} ${path} ${r.status} ${r.durationMs}ms ${op ?? '-'}"}\n`;
  };
}

function prettyLine(level: Level, msg: string, time?: number): string {
  return `${clockTime(time)} ${level.toUpperCase().padEnd(5)} ${msg}\n`;
}

/** The local wall-clock time of day, to the millisecond. */
function clockTime(time = Date.now()): string {
  const d = new Date(time);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
