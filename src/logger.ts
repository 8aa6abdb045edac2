import { hostname } from 'node:os';
import { pino, type DestinationStream } from 'pino';

/** How much the mock says: `silent` nothing, `info` (the default) a line per request. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
export type LogFormat = 'pretty' | 'json';
export type Level = Exclude<LogLevel, 'silent'>;

export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];
/** pino's level numbers. */
const NUMBERS: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: Number.POSITIVE_INFINITY };

export type LogFields = Record<string, string | number | boolean | null>;

/**
 * The mock's logger: request lines, self-check violations and internal errors.
 * JSON lines are pino's (level number, time in ms, pid, hostname, msg, then
 * the fields); pretty lines are `HH:MM:SS.mmm LEVEL msg` for a person.
 */
export interface Logger {
  readonly level: LogLevel;
  readonly format: LogFormat;
  isEnabled(level: Level): boolean;
  log(level: Level, msg: string, fields?: LogFields): void;
  /** Written at info whatever the level, `silent` included: the line that programs starting the mock wait for. */
  banner(msg: string): void;
  /** Writes out what is buffered (before the process exits). */
  flush(): void;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go: stdout (fd 1, buffered, written without blocking) unless given. */
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const dest = opts.destination ?? pino.destination({ dest: 1, sync: false });
  const threshold = NUMBERS[opts.level];
  const flush = () => (dest as { flushSync?: () => void }).flushSync?.();
  if (opts.format === 'json') {
    const p = pino({ level: opts.level }, dest);
    const base = { pid: process.pid, hostname: hostname() };
    return {
      level: opts.level,
      format: 'json',
      isEnabled: (level) => NUMBERS[level] >= threshold,
      log: (level, msg, fields) => (fields ? p[level](fields, msg) : p[level](msg)),
      banner: (msg) => dest.write(`${JSON.stringify({ level: 30, time: Date.now(), ...base, msg })}\n`),
      flush,
    };
  }
  const write = (level: LogLevel, msg: string) => dest.write(`${clockTime()} ${level.toUpperCase().padEnd(5)} ${msg}\n`);
  return {
    level: opts.level,
    format: 'pretty',
    isEnabled: (level) => NUMBERS[level] >= threshold,
    log: (level, msg) => {
      if (NUMBERS[level] >= threshold) write(level, msg);
    },
    banner: (msg) => write('info', msg),
    flush,
  };
}

/** The local wall-clock time of day, to the millisecond. */
function clockTime(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** A logger that drops everything (programmatic use with no logger given). */
export const SILENT_LOGGER: Logger = {
  level: 'silent',
  format: 'json',
  isEnabled: () => false,
  log: () => undefined,
  banner: () => undefined,
  flush: () => undefined,
};
