/**
 * The Maple credit operations as the HTTP dialect calls them, on one
 * company's book: each first brings the book to now (lazy expiry, which
 * stands whatever follows), then validates and runs the ledger in one store
 * transaction. A refusal is returned as a failure and rolls that transaction
 * back, so the request itself writes nothing.
 */
import type { MapleBook, MapleStore } from './maple.store.js';
import type { Clock } from '../clock.js';
import { balanceOf, type Balance } from './balance.js';
import { validateConsume } from './consume-rules.js';
import { validateCreateCredit } from './credit-rules.js';
import { notFound, succeed, type MapleFailure, type Outcome } from './errors.js';
import { findCreditLogs, findCredits } from './find.js';
import type { SameKeyDifferentRequest } from './idempotency.js';
import type { MapleIdGenerator } from './ids.js';
import { consumeCredits, expireDue, issueCredit, revokeCredit, type LedgerContext } from './ledger.js';
import type { Credit, CreditLog } from './model.js';
import type { Page } from './pagination.js';

/** The two documented switches (README, behaviour choices); changed at start or through /__admin/maple/settings. */
export interface MapleSettings {
  /** Consume takes whatever is available instead of refusing an insufficient balance. */
  allowPartialConsume: boolean;
  /** What the same Idempotency-Key with a different request gets: 409, or the first response. */
  sameKeyDifferentRequest: SameKeyDifferentRequest;
}

export const DEFAULT_MAPLE_SETTINGS: Readonly<MapleSettings> = Object.freeze({
  allowPartialConsume: false,
  sameKeyDifferentRequest: 'conflict',
});

export interface MapleContext {
  store: MapleStore;
  clock: Clock;
  ids: MapleIdGenerator;
  settings: MapleSettings;
}

class Refused extends Error {
  constructor(readonly failure: MapleFailure) {
    super(failure.message);
  }
}

export class MapleCreditsService {
  constructor(private readonly ctx: MapleContext) {}

  /**
   * Brings the book to the clock's now (expiry, committed on its own: a credit
   * once seen EXPIRED stays so, even if the request that saw it is refused),
   * then runs `work` as one transaction that a failure undoes.
   */
  private run<T>(book: MapleBook, work: (ledger: LedgerContext) => Outcome<T>): Outcome<T> {
    const ledger: LedgerContext = { now: this.ctx.clock.now(), ids: this.ctx.ids };
    this.ctx.store.transaction(() => expireDue(book, ledger.now));
    try {
      return this.ctx.store.transaction(() => {
        const outcome = work(ledger);
        if (!outcome.ok) throw new Refused(outcome.failure);
        return outcome;
      });
    } catch (err) {
      if (err instanceof Refused) return { ok: false, failure: err.failure };
      throw err;
    }
  }

  create(book: MapleBook, input: unknown): Outcome<Credit> {
    return this.run(book, (ledger) => {
      const command = validateCreateCredit(book, input, ledger.now);
      return command.ok ? succeed(issueCredit(book, command.value, ledger).credit) : command;
    });
  }

  /** Consumes and answers the customer's balance afterwards (consume's response). */
  consume(book: MapleBook, input: unknown): Outcome<Balance> {
    return this.run(book, (ledger) => {
      const command = validateConsume(book, input);
      if (!command.ok) return command;
      const done = consumeCredits(book, command.value, ledger, { allowPartial: this.ctx.settings.allowPartialConsume });
      return done.ok ? succeed(balanceOf(book, command.value.customer_id, ledger.now)) : done;
    });
  }

  revoke(book: MapleBook, creditId: string): Outcome<Credit> {
    return this.run(book, (ledger) => {
      const done = revokeCredit(book, creditId, ledger);
      return done.ok ? succeed(done.value.credit) : done;
    });
  }

  get(book: MapleBook, creditId: string): Outcome<Credit> {
    return this.run(book, () => {
      const credit = book.credits.get(creditId);
      return credit ? succeed(credit) : notFound('id', 'credit', creditId);
    });
  }

  /** check_balance: by Maple customer id or external identifier. */
  checkBalance(book: MapleBook, customerRef: string): Outcome<Balance> {
    return this.run(book, (ledger) => {
      const customer = book.customer(customerRef);
      return customer
        ? succeed(balanceOf(book, customer.id, ledger.now))
        : notFound('customer_id', 'customer', customerRef);
    });
  }

  find(book: MapleBook, input: unknown): Outcome<Page<Credit>> {
    return this.run(book, () => findCredits(book, input));
  }

  findLogs(book: MapleBook, input: unknown): Outcome<Page<CreditLog>> {
    return this.run(book, () => findCreditLogs(book, input));
  }
}
