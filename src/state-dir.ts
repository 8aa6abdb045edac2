import type { ClockSetting, ControllableClock } from './clock.js';
import { ConfigError } from './config.js';
import type { MapleSettings } from './domain/maple/credits.service.js';
import type { MapleCompanyState, MapleState, MapleStore } from './domain/maple/maple.store.js';
import type { StoreObserver } from './store/observer.js';
import { StateFiles } from './store/state-files.js';
import type { WaldurState, WaldurStore } from './domain/waldur/waldur.store.js';

/** What a world keeps on disk with --state-dir: both stores, the clock and the Maple switches. */
export interface PersistedWorld {
  waldur: WaldurStore;
  maple: MapleStore;
  clock: ControllableClock;
  mapleSettings: MapleSettings;
}

type Line =
  | { op: 'snapshot'; version: 1 }
  | { op: 'end' }
  | { op: 'clock'; setting: ClockSetting }
  | { op: 'settings'; maple: MapleSettings }
  | { op: 'company'; id: string; name: string; tokens: string[] }
  | { op: 'row'; s: string; t: string; k: string; r: object | null };

const FORMAT_VERSION = 1;
/** A journal this long is folded into a new snapshot. */
const DEFAULT_COMPACT_AFTER = 100_000;

/**
 * --state-dir: every committed write of the world (rows of both stores,
 * stored Idempotency-Keys, the clock, the Maple switches) is appended to the
 * folder's journal before its answer goes out, and the journal is folded
 * into a snapshot from time to time and whenever the whole state is replaced
 * (reset, import, a company added). At start the newest snapshot and its
 * journal are replayed over the fixtures.
 */
export class StatePersistence {
  private readonly files: StateFiles;
  private buffer: string[] = [];

  constructor(
    dir: string,
    private readonly world: PersistedWorld,
    private readonly log: (line: string) => void,
    private readonly compactAfter = DEFAULT_COMPACT_AFTER,
  ) {
    this.files = new StateFiles(dir);
  }

  /**
   * Replays what the folder holds into the world (or writes its first
   * snapshot when it holds nothing), then records every later change.
   * Returns whether state was restored.
   */
  start(): boolean {
    const restored = this.files.hasState;
    if (restored) this.replay();
    else this.snapshot();
    this.watch();
    return restored;
  }

  /**
   * The world's Maple switches, as an object whose every change is journaled
   * (the admin API changes them with Object.assign): hand this one to the
   * services, not the plain object.
   */
  watchedSettings(): MapleSettings {
    return new Proxy(this.world.mapleSettings, {
      set: (target, key, value) => {
        const done = Reflect.set(target, key, value);
        this.settingsChanged();
        return done;
      },
    });
  }

  close(): void {
    this.world.waldur.observe(null);
    this.world.maple.observe(null);
    this.world.clock.onChange = null;
    this.files.close();
  }

  private watch(): void {
    const observer: StoreObserver = {
      row: (scope, table, key, record) => {
        // An Idempotency-Key in flight is not an answer yet: after a crash it is simply not there.
        if (table === 'idempotency' && (record as { state?: string } | undefined)?.state === 'in_flight') return;
        this.buffer.push(
          `${JSON.stringify({ op: 'row', s: scope, t: table, k: key, r: record ?? null } satisfies Line)}\n`,
        );
      },
      settled: () => this.flush(),
      replaced: () => this.snapshot(),
    };
    this.world.waldur.observe(observer);
    this.world.maple.observe(observer);
    this.world.clock.onChange = () => this.write({ op: 'clock', setting: this.world.clock.setting() });
  }

  private settingsChanged(): void {
    this.write({ op: 'settings', maple: { ...this.world.mapleSettings } });
  }

  private write(line: Line): void {
    this.buffer.push(`${JSON.stringify(line)}\n`);
    this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    const count = this.buffer.length;
    this.buffer = [];
    this.files.append(text, count);
    if (this.files.journalLines >= this.compactAfter) this.snapshot();
  }

  private snapshot(): void {
    this.buffer = [];
    this.files.writeSnapshot(this.snapshotLines());
  }

  private *snapshotLines(): Iterable<string> {
    const { waldur, maple, clock, mapleSettings } = this.world;
    const line = (l: Line) => JSON.stringify(l);
    yield line({ op: 'snapshot', version: FORMAT_VERSION });
    yield line({ op: 'clock', setting: clock.setting() });
    yield line({ op: 'settings', maple: { ...mapleSettings } });
    for (const t of waldur.tables())
      for (const [k, r] of t.entries()) yield line({ op: 'row', s: 'waldur', t: t.name, k, r });
    for (const book of maple.companies()) {
      const id = book.company.id;
      yield line({ op: 'company', id, name: book.company.name, tokens: maple.tokensOf(id) });
      const s = `maple/${id}`;
      for (const t of book.tables()) for (const [k, r] of t.entries()) yield line({ op: 'row', s, t: t.name, k, r });
      for (const [k, r] of book.idempotency)
        if (r.state === 'done') yield line({ op: 'row', s, t: 'idempotency', k, r });
    }
    yield line({ op: 'end' });
  }

  private replay(): void {
    let values: unknown[];
    try {
      const read = this.files.read();
      values = read.values;
      for (const w of read.warnings) this.log(`warning: --state-dir ${this.files.dir}: ${w}`);
    } catch (err) {
      throw new ConfigError(`--state-dir ${this.files.dir} cannot be read: ${(err as Error).message}`);
    }
    const end = values.findIndex((v) => (v as Line).op === 'end');
    if ((values[0] as Line | undefined)?.op !== 'snapshot' || end < 0) {
      throw new ConfigError(`--state-dir ${this.files.dir}: the snapshot is incomplete or not one this version writes`);
    }
    this.loadSnapshot(values.slice(1, end) as Line[]);
    for (const v of values.slice(end + 1)) this.apply(v as Line);
    // The journal's rows came one by one: the Maple search indexes take them now, not on the first search.
    for (const book of this.world.maple.companies()) book.search.warm();
  }

  /** The snapshot's rows become whole states, loaded the way fixtures are (indexes and sequence numbers rebuilt once). */
  private loadSnapshot(lines: Line[]): void {
    const waldur: Record<string, object[]> = {};
    const companies = new Map<string, MapleCompanyState>();
    const keys: { company: string; key: string; record: object }[] = [];
    for (const l of lines) {
      if (l.op === 'row' && l.s === 'waldur') (waldur[l.t] ??= []).push(l.r!);
      else if (l.op === 'row' && l.t === 'idempotency')
        keys.push({ company: l.s.slice('maple/'.length), key: l.k, record: l.r! });
      else if (l.op === 'row') {
        const c = companies.get(l.s.slice('maple/'.length))!;
        (c[l.t as 'credits'] as object[]).push(l.r!);
      } else if (l.op === 'company') {
        companies.set(l.id, {
          id: l.id,
          name: l.name,
          tokens: l.tokens,
          customers: [],
          items: [],
          subscriptions: [],
          invoices: [],
          credits: [],
          logs: [],
        });
      } else this.apply(l);
    }
    const names = ['customers', 'projects', 'offerings', 'users', 'customer_credits', 'project_credits', 'invoices'];
    this.world.waldur.load(Object.fromEntries(names.map((n) => [n, waldur[n] ?? []])) as unknown as WaldurState);
    this.world.maple.load({ companies: [...companies.values()] } satisfies MapleState);
    for (const k of keys) this.world.maple.applyRow(k.company, 'idempotency', k.key, k.record);
  }

  private apply(l: Line): void {
    if (l.op === 'clock') this.world.clock.restore(l.setting);
    else if (l.op === 'settings') Object.assign(this.world.mapleSettings, l.maple);
    else if (l.op === 'row' && l.s === 'waldur') this.world.waldur.applyRow(l.t, l.k, l.r ?? undefined);
    else if (l.op === 'row') this.world.maple.applyRow(l.s.slice('maple/'.length), l.t, l.k, l.r ?? undefined);
  }
}
