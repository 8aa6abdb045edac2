import type { Input } from '../../domain/waldur/input.js';
import type { QueryParams } from '../../domain/waldur/filters.js';
import type { Actor } from '../../domain/waldur/permissions.js';
import type { Json } from './drf-json.js';
import type { RenderContext } from './representation.js';

/** One authenticated call to a Waldur operation, as its handler sees it. */
export interface WaldurCall {
  actor: Actor;
  uuid: string;
  query: QueryParams;
  /** The parsed body; parse errors surface only when a handler asks (DRF parses lazily). */
  body(): Input | undefined;
  render: RenderContext;
  requestUrl: URL;
}

export interface WaldurResult {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

export type WaldurHandler = (call: WaldurCall) => WaldurResult;
