import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { compileAdminOperations, describeErrors, type AdminOperation } from './admin-request-schemas.js';
import { problem } from './problem.js';

/**
 * Checks every /__admin/ request against its operation in specs/admin.yaml
 * before a route sees it: the JSON body against the request body's schema,
 * the query against the declared parameters (an undeclared one is refused
 * where the operation declares any). A request that fails answers 400 in the
 * admin Problem shape, one line per problem naming the member. Paths the spec
 * does not list pass on (to the 404); so does PUT /__admin/state, whose body
 * is read and checked by the state import itself, and so do routes with path
 * parameters, which call checkAdminRequest once they know the path exists.
 */
export function validateAdminRequests(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const op = operationOf(req);
    if (op?.pathParameters) return next();
    return checkAdminRequest(req, res) ? next() : undefined;
  };
}

/**
 * For a route with path parameters, which first answers 404 for what the path
 * names: checks the request as above; false when it answered 400.
 */
export function checkAdminRequest(req: Request, res: Response): boolean {
  const op = operationOf(req);
  if (!op) return true;
  const problems = [...queryProblems(op, req), ...bodyProblems(op, req)];
  if (problems.length === 0) return true;
  problem(res, 400, 'invalid data', problems);
  return false;
}

let operations: AdminOperation[] | undefined;
function operationOf(req: Request): AdminOperation | undefined {
  const path = `${req.baseUrl}${req.path}`;
  return (operations ??= compileAdminOperations()).find((o) => o.method === req.method && o.pattern.test(path));
}

function queryProblems(op: AdminOperation, req: Request): string[] {
  if (!op.query) return [];
  const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  const repeated = Object.keys(query).filter((k) => Array.isArray(query[k]) && !op.arrays.has(k));
  if (repeated.length > 0) return repeated.map((k) => `${k}: give it once`);
  if (op.query(query)) return [];
  // A repeated parameter is one list: its problem is the parameter's, whichever value it was.
  return [
    ...new Set(describeErrors(op.query.errors ?? [], 'parameter').map((p) => p.replace(/^([^.:]+)\.\d+:/, '$1:'))),
  ];
}

function bodyProblems(op: AdminOperation, req: Request): string[] {
  if (!op.body) return [];
  const body: unknown = req.body;
  if (body === undefined)
    return op.bodyRequired ? ['(top level): must be a JSON object (Content-Type: application/json)'] : [];
  return op.body(body) ? [] : describeErrors(op.body.errors ?? []);
}

/**
 * The top level of a state document (PUT /__admin/state) against its schema:
 * each half stands in as an empty one here, since the state import checks the
 * halves themselves, as fixtures, with every problem named in place.
 */
export function stateDocumentProblems(doc: unknown): string[] {
  const op = (operations ??= compileAdminOperations()).find((o) => o.operationId === 'adminImportState');
  if (!op?.body) return [];
  const isObject = typeof doc === 'object' && doc !== null && !Array.isArray(doc);
  const standIns: Record<string, unknown> = { waldur: {}, maple: { companies: [] } };
  const top = isObject ? Object.fromEntries(Object.keys(doc).map((k) => [k, k in standIns ? standIns[k] : null])) : doc;
  return op.body(top) ? [] : describeErrors(op.body.errors ?? []);
}
