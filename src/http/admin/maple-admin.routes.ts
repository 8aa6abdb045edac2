import { Router, type Request, type Response } from 'express';
import type { MapleSettings } from '../../domain/maple/credits.service.js';
import type { MapleIdGenerator, MaplePrefix } from '../../domain/maple/ids.js';
import { parseMapleFixtures } from '../../fixtures/maple.fixtures.js';
import type { MapleCompanyState, MapleStore } from '../../domain/maple/maple.store.js';
import type { FaultPlan } from '../maple/faults.js';
import { createFaultsRouter } from './faults.routes.js';
import { checkAdminRequest } from './admin-request-validation.js';
import { guarded, problem } from './problem.js';
import type { AdminSchemas } from '../../fixtures/admin-spec.js';

export interface MapleAdminOptions {
  store: MapleStore;
  settings: MapleSettings;
  faults: FaultPlan;
  ids: MapleIdGenerator;
}

type Kind = 'customers' | 'items' | 'subscriptions' | 'invoices';
const PREFIX: Record<Kind, MaplePrefix> = {
  customers: 'cus_',
  items: 'item_',
  subscriptions: 'subs_',
  invoices: 'inv_',
};

/**
 * /__admin/maple/: companies and their customers, items, subscriptions and
 * invoices added one at a time (checked like a fixtures file against the
 * whole state), the two behaviour switches, and fault injection.
 */
export function createMapleAdminRouter(
  optionsOf: (res: Response) => MapleAdminOptions,
  nowOf: (res: Response) => string,
): Router {
  const router = Router();

  /** Checks the state with `change` made; returns the normalised company that changed. */
  const validated = (
    opts: MapleAdminOptions,
    change: (companies: MapleCompanyState[]) => string,
  ): MapleCompanyState => {
    const companies = opts.store.export().companies;
    const companyId = change(companies);
    return parseMapleFixtures({ companies }).companies.find((c) => c.id === companyId)!;
  };

  router.post('/companies', (req: Request, res) =>
    guarded(res, () => {
      const opts = optionsOf(res);
      const id = typeof req.body.id === 'string' ? req.body.id : opts.ids.next('cmp_');
      const company = validated(opts, (companies) => {
        companies.push({ ...(req.body as object), id, tokens: req.body.tokens ?? [] } as MapleCompanyState);
        return id;
      });
      opts.store.addCompany(company);
      res.status(201).json({ id: company.id, name: company.name, tokens: company.tokens });
    }),
  );

  for (const kind of Object.keys(PREFIX) as Kind[]) {
    router.post(`/companies/:company/${kind}`, (req: Request, res) =>
      guarded(res, () => {
        const opts = optionsOf(res);
        const nowIso = () => nowOf(res);
        const book = opts.store.book(String(req.params.company));
        if (!book)
          return void problem(res, 404, 'no such company', [`company ${String(req.params.company)} does not exist`]);
        if (!checkAdminRequest(req, res)) return;
        const id = typeof req.body.id === 'string' ? req.body.id : opts.ids.next(PREFIX[kind]);
        const defaults = kind === 'items' ? { created_at: nowIso(), updated_at: nowIso() } : { created_at: nowIso() };
        const company = validated(opts, (companies) => {
          const mine = companies.find((c) => c.id === book.company.id)!;
          (mine[kind] as unknown[]).push({ ...defaults, ...req.body, id });
          return mine.id;
        });
        const stored = (company[kind] as { id: string }[]).find((r) => r.id === id)!;
        (book[kind] as { put(r: unknown): unknown }).put(stored);
        res.status(201).json(stored);
      }),
    );
  }

  router.get('/companies/:company/invoices', (req: Request, res) => {
    const opts = optionsOf(res);
    const book = opts.store.book(String(req.params.company));
    if (!book) return problem(res, 404, 'no such company', [`company ${String(req.params.company)} does not exist`]);
    if (!checkAdminRequest(req, res)) return;
    const customer = typeof req.query.customer_id === 'string' ? req.query.customer_id : null;
    return res.json([...book.invoices.all()].filter((i) => customer === null || i.customer_id === customer));
  });

  router.get('/settings', (_req, res) => res.json(settingsBody(optionsOf(res).settings)));
  router.post('/settings', (req: Request, res) => {
    const opts = optionsOf(res);
    const change = (req.body ?? {}) as AdminSchemas['MapleSettings']; // checked against specs/admin.yaml
    if (change.allow_partial_consume !== undefined) opts.settings.allowPartialConsume = change.allow_partial_consume;
    if (change.same_key_different_request !== undefined)
      opts.settings.sameKeyDifferentRequest = change.same_key_different_request;
    return res.json(settingsBody(opts.settings));
  });

  router.use(
    '/faults',
    createFaultsRouter((res) => optionsOf(res).faults),
  );
  return router;
}

function settingsBody(s: MapleSettings) {
  return { allow_partial_consume: s.allowPartialConsume, same_key_different_request: s.sameKeyDifferentRequest };
}
