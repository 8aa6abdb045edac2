import type { MapleCreditsService } from '../../domain/maple/credits.service.js';
import type { Outcome } from '../../domain/maple/errors.js';
import type { MapleBook } from '../../domain/maple/maple.store.js';
import { fromFailure } from './maple.errors.js';
import { renderBalance, renderCredit, renderLog, renderPage, type Json } from './representation.js';

/** One authorised call to a Maple operation, as its handler sees it. */
export interface MapleCall {
  book: MapleBook;
  params: Record<string, string>;
  /** The parsed JSON body (numbers as JsonNumber), or undefined when there was none. */
  body: unknown;
}

export interface MapleResult {
  status: number;
  body: Json;
}

export type MapleHandler = (call: MapleCall) => MapleResult;

function answer<T>(outcome: Outcome<T>, status: number, render: (value: T) => Json): MapleResult {
  if (!outcome.ok) throw fromFailure(outcome.failure);
  return { status, body: render(outcome.value) };
}

/** The Maple credit operations, keyed by the spec's operationIds. */
export function mapleHandlers(service: MapleCreditsService): Record<string, MapleHandler> {
  return {
    createCredit: (c) => answer(service.create(c.book, c.body), 201, (credit) => renderCredit(c.book, credit)),
    getCredit: (c) => answer(service.get(c.book, c.params.id!), 200, (credit) => renderCredit(c.book, credit)),
    revokeCredit: (c) => answer(service.revoke(c.book, c.params.id!), 200, (credit) => renderCredit(c.book, credit)),
    findCredits: (c) =>
      answer(service.find(c.book, c.body), 200, (page) => renderPage(page, (credit) => renderCredit(c.book, credit))),
    consumeCredits: (c) => answer(service.consume(c.book, c.body), 200, renderBalance),
    checkBalance: (c) => answer(service.checkBalance(c.book, c.params.customer!), 200, renderBalance),
    findCreditLogs: (c) =>
      answer(service.findLogs(c.book, c.body), 200, (page) => renderPage(page, (log) => renderLog(c.book, log))),
  };
}
