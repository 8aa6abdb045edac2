import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './servers.js';

/**
 * Generated Waldur fixture files: the default fixtures plus enough customers
 * and customer credits (one per customer, as the API demands), and spare
 * customers without a credit so that every create in the benchmark succeeds.
 */
export interface WaldurWorld {
  file: string;
  /** Customer credits in the file, the default ones included. */
  credits: number;
  creditUuids: string[];
  spareCustomerUuids: string[];
  /** A `customer_name` substring about half of the customers match. */
  needle: string;
  matching: number;
}

const ORG_KINDS = ['Institute', 'Lab'];
const PLACES = ['North', 'South', 'East', 'West', 'Central', 'Coastal', 'Alpine', 'Delta'];
const hex = (prefix: string, i: number) => `${prefix}${i.toString(16).padStart(32 - prefix.length, '0')}`;

let dir: string | null = null;

function workDir(): string {
  dir ??= mkdtempSync(path.join(tmpdir(), 'credits-mock-bench-'));
  return dir;
}

/** A path in the benchmark's temp dir (removed at the end). */
export function tempFile(name: string): string {
  return path.join(workDir(), name);
}

export function removeFixtureFiles(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
}

interface Doc {
  customers: { uuid: string; name: string; slug: string }[];
  customer_credits: Record<string, unknown>[];
  offerings: { uuid: string }[];
  [key: string]: unknown;
}

function generatedCredit(i: number, customer: string, offerings: string[]): Record<string, unknown> {
  return {
    uuid: hex('cc', i),
    customer,
    value: (((i * 7919) % 100_000) + 100).toFixed(2),
    offerings: [offerings[i % offerings.length]],
    end_date: i % 3 === 0 ? null : '2027-07-01',
    expected_consumption: '0',
    minimal_consumption_logic: 'fixed',
    grace_coefficient: String(i % 20),
    apply_as_minimal_consumption: i % 2 === 0,
    created: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  };
}

/** Writes a fixtures file with `credits` customer credits in all and `spare` customers without one. */
export function writeWaldurWorld(credits: number, spare: number): WaldurWorld {
  const doc = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'waldur.json'), 'utf8')) as Doc;
  const offerings = doc.offerings.map((o) => o.uuid);
  const existing = doc.customer_credits.length;
  const needle = ORG_KINDS[0]!.toLowerCase();
  const names = new Map(doc.customers.map((c) => [c.uuid, c.name.toLowerCase()]));
  let matching = doc.customer_credits.filter((c) => names.get(String(c.customer))?.includes(needle)).length;
  const creditUuids = doc.customer_credits.map((c) => String(c.uuid));
  for (let i = 0; i < credits - existing; i++) {
    const kind = ORG_KINDS[i % ORG_KINDS.length]!;
    const name = `${PLACES[(i >> 1) % PLACES.length]} ${kind} ${i}`;
    const uuid = hex('ca', i);
    if (name.toLowerCase().includes(needle)) matching += 1;
    doc.customers.push({ uuid, name, slug: `org-${i}` });
    doc.customer_credits.push(generatedCredit(i, uuid, offerings));
    creditUuids.push(hex('cc', i));
  }
  const spareCustomerUuids: string[] = [];
  for (let i = 0; i < spare; i++) {
    const uuid = hex('5e', i);
    doc.customers.push({ uuid, name: `Spare Company ${i}`, slug: `spare-${i}` });
    spareCustomerUuids.push(uuid);
  }
  const file = tempFile(`waldur-${credits}-${spare}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return { file, credits, creditUuids, spareCustomerUuids, needle, matching };
}

/** The Maple company the default fixtures hold, when fixtures/maple.json exists. */
export interface MapleWorld {
  company: string;
  token: string;
  customers: string[];
}

export function readMapleWorld(): MapleWorld | null {
  let doc: { companies?: { id?: string; tokens?: string[]; customers?: { id?: string }[] }[] };
  try {
    doc = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'maple.json'), 'utf8')) as typeof doc;
  } catch {
    return null;
  }
  const company = doc.companies?.[0];
  const customers = (company?.customers ?? []).map((c) => c.id).filter((id): id is string => typeof id === 'string');
  if (!company?.id || customers.length === 0) return null;
  return { company: company.id, token: company.tokens?.[0] ?? 'maple-token', customers };
}
