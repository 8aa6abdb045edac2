/**
 * The one nesting limit for every JSON body the mock reads (the mocked APIs'
 * bodies through body.ts, the control API's through express.json): real
 * bodies here are a few levels deep, and code that walks a value recursively
 * (JSON.stringify, canonical JSON, validators) must never meet one thousands
 * of levels deep. Forms and multipart bodies are flat by construction.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The refusal for a JSON text nested deeper than MAX_JSON_DEPTH (one linear pass over the bytes, before parsing), or null. */
export function jsonDepthError(raw: Uint8Array): string | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth -= 1;
  }
  return null;
}

/** express.json's `verify`: a body nested too deep is refused before it is parsed (the admin API's 400 "invalid JSON"). */
export function refuseDeepJson(_req: unknown, _res: unknown, raw: Buffer): void {
  const message = jsonDepthError(raw);
  if (message) throw Object.assign(new Error(message), { status: 400, type: 'entity.parse.failed' });
}
