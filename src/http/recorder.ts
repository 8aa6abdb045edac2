import { performance } from 'node:perf_hooks';
import type { Logger } from '../logger.js';
import type { IncomingMessage } from 'node:http';
import { pathOf } from './request-target.js';
import type { Dialect, Exchange, RequestJournal } from './journal.js';

/** Called by a mocked API once its answer is written: journal and request log line. */
export type Recorder = (x: Exchange) => void;

/** An answer as the APIs' `send` returns it: what went out. */
export interface SentAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Records one answered request with `record` (a no-op when the world records nothing). */
export function recordExchange(
  record: Recorder | undefined,
  req: IncomingMessage,
  dialect: Dialect,
  operationId: string | null,
  requestBody: Buffer | string | null,
  answer: SentAnswer,
  started: number,
): void {
  record?.({
    dialect,
    operationId,
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    path: pathOf(req.url),
    rawHeaders: req.rawHeaders,
    requestBody,
    status: answer.status,
    responseHeaders: answer.headers,
    responseBody: answer.body,
    started,
  });
}

/**
 * The recorder of one world, or undefined when the journal is off and request
 * lines are not logged: the APIs then build no Exchange at all (`record?.(…)`).
 */
export function createRecorder(journal: RequestJournal | undefined, logger: Logger | undefined): Recorder | undefined {
  const keep = journal !== undefined && journal.enabled ? journal : undefined;
  const log = logger !== undefined && logger.isEnabled('info') ? logger : undefined;
  if (!keep && !log) return undefined;
  return (x) => {
    const ms = performance.now() - x.started;
    const time = Date.now();
    keep?.record(x, ms, time);
    log?.request({
      dialect: x.dialect,
      method: x.method,
      path: x.path,
      status: x.status,
      durationMs: Math.round(ms * 100) / 100,
      operation: x.operationId,
      time,
    });
  };
}
