import type { RequestListener } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../logger.js';
import { pathOf } from './api-handler.js';

/**
 * The listener for what is not a mocked API (/__admin/, pages, fallbacks):
 * at debug level each request gets a line too; otherwise it is `next` itself.
 */
export function logOtherRequests(next: RequestListener, logger: Logger | undefined): RequestListener {
  if (!logger?.isEnabled('debug')) return next;
  return (req, res) => {
    const started = performance.now();
    const path = pathOf(req.url); // now: express rewrites req.url while it routes
    res.once('finish', () => {
      const ms = Math.round((performance.now() - started) * 100) / 100;
      logger.log('debug', `${req.method} ${path} ${res.statusCode} ${ms}ms -`, {
        method: req.method ?? 'GET',
        path,
        status: res.statusCode,
        duration_ms: ms,
        operation: null,
      });
    });
    next(req, res);
  };
}
