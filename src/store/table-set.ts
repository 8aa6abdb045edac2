import type { StoreObserver } from './observer.js';
import { Table, type AnyTable, type GroupIndex, type RowSink, type UniqueIndex } from './table.js';
import type { TransactionManager } from './transaction.js';

/** A table as its owner declares it: name, primary key and indexes, each keyed by a function the owner supplies. */
export interface TableSpec<T> {
  name: string;
  /** The record's primary key (default: its `uuid`). */
  key?: (record: T) => string;
  uniques?: readonly UniqueIndex<T>[];
  groups?: readonly GroupIndex<T>[];
}

/**
 * Tables written in the transactions of one TransactionManager and told to an
 * observer under one scope name ("waldur", "maple/<company>"). The set knows
 * its tables by name, in the order they were declared: the order a whole
 * state loads, exports and replays in.
 */
export class TableSet {
  private readonly list: AnyTable[] = [];

  /** `label` names the set in errors ("no <label> table x"). */
  constructor(
    private readonly tx: TransactionManager,
    private readonly label: string,
  ) {}

  /** Declares a table of the set. */
  table<T extends object>(spec: TableSpec<T>): Table<T> {
    if (this.byName(spec.name)) throw new Error(`${this.label} table ${spec.name} declared twice`);
    const table = new Table<T>(spec.name, this.tx.journal, spec.uniques, spec.groups, spec.key);
    this.list.push(table);
    return table;
  }

  /** The tables, in the order they were declared. */
  tables(): AnyTable[] {
    return [...this.list];
  }

  byName(name: string): AnyTable | undefined {
    return this.list.find((t) => t.name === name);
  }

  /**
   * Tells `observer` of every later row written or removed, under `scope`; a
   * write outside a transaction is settled at once. Null stops it. Returns
   * the sink the tables report to, for rows kept beside them.
   */
  observe(scope: string, observer: StoreObserver | null): RowSink | null {
    const sink: RowSink | null =
      observer &&
      ((table, key, record) => {
        observer.row(scope, table, key, record);
        if (!this.tx.active) observer.settled();
      });
    for (const t of this.list) t.observe(sink);
    return sink;
  }

  /** Writes (or removes, `record` undefined) one row of the named table, as a journal replays it. */
  applyRow(table: string, key: string, record: object | undefined): void {
    const t = this.byName(table);
    if (!t) throw new Error(`no ${this.label} table ${table}`);
    if (record === undefined) t.remove(key);
    else t.putRow(record);
  }

  /** Empties every table. */
  clear(): void {
    for (const t of this.list) t.clear();
  }
}
