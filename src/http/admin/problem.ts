import type { Response } from 'express';
import { FixtureError } from '../../fixtures/waldur.fixtures.js';

/** The admin API's refusal: `{error, problems}` (specs/admin.yaml, Problem). */
export function problem(res: Response, status: number, message: string, problems: string[] = []): void {
  res.status(status).json({ error: message, problems });
}

/** Runs `work`; a fixtures check that fails becomes a 400 with every problem listed, and nothing changed. */
export function guarded(res: Response, work: () => void): void {
  try {
    work();
  } catch (err) {
    if (err instanceof FixtureError) problem(res, 400, 'invalid data', err.problems);
    else throw err;
  }
}
