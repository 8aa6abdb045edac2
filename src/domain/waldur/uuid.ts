/** Waldur writes uuids as 32 lowercase hex chars and accepts dashed or hex forms on input. */
const HEX = /^[0-9a-f]{32}$/i;
const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BRACED = /^\{[0-9a-f-]{36}\}$/i;
const URN = /^urn:uuid:/i;

/** The hex form of a uuid given in any form Python's uuid.UUID accepts, or null. */
export function normalizeUuid(input: string): string | null {
  let text = input.trim().replace(URN, '');
  if (BRACED.test(text)) text = text.slice(1, -1);
  if (HEX.test(text)) return text.toLowerCase();
  if (DASHED.test(text)) return text.replace(/-/g, '').toLowerCase();
  return null;
}

/** The dashed text form (what PostgreSQL's uuid::text gives), used by `query` filters. */
export function dashedUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
