/**
 * KSUID-like ids: a prefix and 27 base62 characters encoding 20 bytes, the
 * first 6 the injected clock's milliseconds since the Unix epoch (big-endian),
 * the other 14 from an injected random source. Ids of one generator sort
 * (as strings) in the order they were made while the clock does not go back:
 * within one millisecond the payload of the previous id is incremented, as
 * monotonic ULIDs do. If the clock is moved back, new ids sort by their own,
 * earlier time. `cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50` (the docs' example) has the
 * same shape.
 *
 * The credit prefix `crd_` is the mock's choice: Maple documents none, so
 * tests must not assert it (docs/behaviour/maple.md §1.1).
 */
import type { Clock, IdGenerator } from '../clock.js';

export type MaplePrefix = 'cmp_' | 'cus_' | 'crd_' | 'log_' | 'subs_' | 'inv_' | 'item_';

export const ID_BODY_LENGTH = 27;
const BYTES = 20;
const TIME_BYTES = 6;
export const PAYLOAD_BYTES = BYTES - TIME_BYTES;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Where the random bytes come from. */
export interface RandomSource {
  bytes(n: number): Uint8Array;
}

export interface MapleIdGenerator {
  next(prefix: MaplePrefix): string;
}

/** The pure core: the id for `ms` and a 14-byte payload. */
export function encodeId(prefix: string, ms: number, payload: Uint8Array): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`time out of range: ${ms}`);
  if (payload.length !== PAYLOAD_BYTES) throw new RangeError(`payload must be ${PAYLOAD_BYTES} bytes`);
  let n = BigInt(ms);
  for (const b of payload) n = (n << 8n) | BigInt(b);
  let body = '';
  while (n > 0n) {
    body = BASE62[Number(n % 62n)]! + body;
    n /= 62n;
  }
  return prefix + body.padStart(ID_BODY_LENGTH, '0');
}

/** The time and payload of an id made by encodeId, or null if `id` is not one. */
export function decodeId(prefix: string, id: string): { ms: number; payload: Uint8Array } | null {
  if (!id.startsWith(prefix)) return null;
  const body = id.slice(prefix.length);
  if (body.length !== ID_BODY_LENGTH || !/^[0-9A-Za-z]+$/.test(body)) return null;
  let n = 0n;
  for (const ch of body) n = n * 62n + BigInt(BASE62.indexOf(ch));
  if (n >> BigInt(BYTES * 8) !== 0n) return null;
  const payload = new Uint8Array(PAYLOAD_BYTES);
  for (let i = PAYLOAD_BYTES - 1; i >= 0; i--) {
    payload[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return { ms: Number(n), payload };
}

export function isMapleId(prefix: MaplePrefix, id: string): boolean {
  return decodeId(prefix, id) !== null;
}

/** The payload plus one, or null when it was all 0xff. */
function increment(payload: Uint8Array): Uint8Array | null {
  const next = Uint8Array.from(payload);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] !== 0xff) {
      next[i]! += 1;
      return next;
    }
    next[i] = 0;
  }
  return null;
}

/** A generator reading the clock and the random source on each id; monotonic within a millisecond. */
export function createMapleIds(clock: Clock, random: RandomSource): MapleIdGenerator {
  let lastMs = -1;
  let lastPayload: Uint8Array = new Uint8Array(PAYLOAD_BYTES);
  return {
    next(prefix) {
      let ms = clock.now().getTime();
      let payload = ms === lastMs ? increment(lastPayload) : null;
      if (ms === lastMs && payload === null) ms += 1;
      if (payload === null) payload = Uint8Array.from(random.bytes(PAYLOAD_BYTES).subarray(0, PAYLOAD_BYTES));
      lastMs = ms;
      lastPayload = payload;
      return encodeId(prefix, ms, payload);
    },
  };
}

/** Random bytes from the mock's uuid generator (16 bytes per uuid). */
export function randomFromIdGenerator(ids: IdGenerator): RandomSource {
  return {
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 16) {
        const hex = ids.uuidHex();
        for (let j = 0; j < 16 && i + j < n; j++) out[i + j] = parseInt(hex.slice(2 * j, 2 * j + 2), 16);
      }
      return out;
    },
  };
}

/** A deterministic source (mulberry32) for tests and reproducible fixtures. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  const nextByte = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  };
  return { bytes: (n) => Uint8Array.from({ length: n }, nextByte) };
}
