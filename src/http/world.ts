import type { Response } from 'express';
import { ControllableClock, type ClockSetting } from '../clock.js';
import type { IdGenerator } from '../domain/clock.js';
import type { MapleContext, MapleSettings } from '../domain/maple/credits.service.js';
import { createMapleIds, randomFromIdGenerator } from '../domain/maple/ids.js';
import { BillingCycle } from '../domain/waldur/billing-cycle.service.js';
import type { WaldurContext } from '../domain/waldur/context.js';
import { MapleStore, type MapleState } from '../domain/maple/maple.store.js';
import { DEFAULT_WALDUR_VERSION, type WaldurSettings, type WaldurVersion } from '../domain/waldur/profile.js';
import { WaldurStore, type WaldurState } from '../domain/waldur/waldur.store.js';
import type { Logger } from '../logger.js';
import { FaultPlan } from './faults.js';
import { RequestJournal } from './journal.js';
import { createRecorder, type Recorder } from './recorder.js';

/**
 * The states the server started with, what /__admin/reset goes back to. Their
 * records are frozen and shared with the tables until a write replaces them,
 * so keeping them costs no copy, and every world starts from the same ones.
 */
export interface StartFixtures {
  waldur: WaldurState;
  maple: MapleState;
}

/**
 * One complete state (DESIGN.md, "Worlds, sessions and what lasts"): both
 * APIs' tables, the clock, the Maple settings, the faults, the idempotency
 * keys (in the Maple books) and the billing cycle. The default world serves
 * un-prefixed paths; each session has one of its own. What is expensive to
 * build (specs, backends, route tables, validators, the admin router) is
 * shared by all worlds; a world is only data and small objects.
 */
export interface World {
  readonly waldur: WaldurContext;
  readonly billing: BillingCycle;
  readonly maple: MapleContext;
  /** Maple's injected faults (/__admin/maple/faults). */
  readonly faults: FaultPlan;
  /** Waldur's injected faults (/__admin/waldur/faults). */
  readonly waldurFaults: FaultPlan;
  /** The requests the mocked APIs answered in this world (/__admin/requests). */
  readonly journal: RequestJournal;
  /** Journals a request and logs its line; undefined when neither is on (the APIs then build nothing). */
  readonly record: Recorder | undefined;
  readonly clock: ControllableClock;
  readonly ids: IdGenerator;
  readonly fixtures: StartFixtures;
  /** The Waldur version profile this world speaks (/__admin/waldur/settings); the same object as `waldur.settings`. */
  readonly waldurSettings: WaldurSettings;
}

export interface WorldParts {
  waldur: WaldurStore;
  maple: MapleStore;
  mapleSettings: MapleSettings;
  clock: ControllableClock;
  ids: IdGenerator;
  fixtures: StartFixtures;
  /** The path prefix of the world's URLs (see WaldurContext.linkPrefix). */
  linkPrefix?: string;
  /** The request journal (default: one of 1000 entries). */
  journal?: RequestJournal;
  /** Where a line per request goes (default: nowhere). */
  logger?: Logger;
  /** The path prefix clients reach the mock under (--public-url's path; see WaldurContext.scriptPrefix). */
  scriptPrefix?: string;
  /** The Waldur version profile the world starts with (default 8.0.5). */
  waldurVersion?: WaldurVersion;
}

/** A world around stores, clock and settings made elsewhere (the default world: main.ts and the tests hold them). */
export function assembleWorld(parts: WorldParts): World {
  const waldurSettings: WaldurSettings = { version: parts.waldurVersion ?? DEFAULT_WALDUR_VERSION };
  const waldur: WaldurContext = {
    store: parts.waldur,
    clock: parts.clock,
    ids: parts.ids,
    linkPrefix: parts.linkPrefix ?? '',
    scriptPrefix: parts.scriptPrefix ?? '/',
    settings: waldurSettings,
  };
  const mapleIds = createMapleIds(parts.clock, randomFromIdGenerator(parts.ids));
  const journal = parts.journal ?? new RequestJournal();
  return {
    waldur,
    billing: new BillingCycle(waldur),
    maple: { store: parts.maple, clock: parts.clock, ids: mapleIds, settings: parts.mapleSettings },
    faults: new FaultPlan(),
    waldurFaults: new FaultPlan(),
    journal,
    record: createRecorder(journal, parts.logger),
    clock: parts.clock,
    ids: parts.ids,
    fixtures: parts.fixtures,
    waldurSettings,
  };
}

export interface WorldStart {
  fixtures: StartFixtures;
  /** The Maple switches a new world starts with (copied: each world changes its own). */
  mapleSettings: Readonly<MapleSettings>;
  /** Where a new world's clock starts (and what its reset goes back to): the default world's start setting. */
  clock: ClockSetting;
  ids: IdGenerator;
  scriptPrefix?: string;
  /** Entries each world's journal keeps (--journal-size). */
  journalSize: number;
  logger?: Logger;
  /** The Waldur version profile a new world starts with (--waldur-version). */
  waldurVersion?: WaldurVersion;
}

/**
 * A fresh world on the start fixtures. Cheap: the stores index the shared
 * frozen records without copying them (the same as POST /__admin/reset).
 */
export function createWorld(start: WorldStart, linkPrefix = ''): World {
  const clock = new ControllableClock();
  clock.restore(start.clock);
  clock.markStart();
  const waldur = new WaldurStore();
  waldur.load(start.fixtures.waldur);
  const maple = new MapleStore();
  maple.load(start.fixtures.maple);
  return assembleWorld({
    waldur,
    maple,
    mapleSettings: { ...start.mapleSettings },
    clock,
    ids: start.ids,
    fixtures: start.fixtures,
    linkPrefix,
    scriptPrefix: start.scriptPrefix,
    journal: new RequestJournal(start.journalSize),
    logger: start.logger,
    waldurVersion: start.waldurVersion,
  });
}

/** What one request is served in: its world, and the base its absolute URLs start with (origin and session prefix). */
export interface Scope {
  world: World;
  /** e.g. `http://127.0.0.1:4010` or `http://127.0.0.1:4010/__session/ci-42`; no trailing slash. */
  baseUrl: string;
}

/** The scope express handlers (/__admin/) serve: set on `res.locals` before the express app sees the request. */
export function scopeOf(res: Response): Scope {
  return (res.locals as { scope: Scope }).scope;
}
