/**
 * Maple's JSON writer: JSON.stringify, except that a JsonDecimal is written as
 * a JSON number with its exact decimal text (`2.5`, `0.3`,
 * `1234567890123.000000000000000001`), which a JS number could not hold.
 * Each one goes out as a marked placeholder string (U+0001, which
 * JSON.stringify writes as the six characters `\u0001`) that is then replaced
 * by its text; if the data itself holds the mark, a plain recursive writer
 * does the job instead.
 */
const MARK = '\u0001';
const WRITTEN_MARK = '\\u0001';
const MARKED = /"\\u0001(\d+)\\u0001"/g;
let pieces: string[] = [];

/** A JSON number written with exactly this decimal text (no exponent, digits only, at most one point). */
export class JsonDecimal {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`not a decimal: ${text}`);
  }

  toJSON(): string {
    pieces.push(this.text);
    return `${MARK}${pieces.length - 1}${MARK}`;
  }
}

export type Json = null | boolean | number | string | JsonDecimal | Json[] | { [key: string]: Json };

export function renderMapleJson(value: Json): string {
  pieces = [];
  try {
    const text = JSON.stringify(value);
    if (pieces.length === 0) return text;
    const written = pieces;
    return occurrences(text, WRITTEN_MARK) === 2 * written.length
      ? text.replace(MARKED, (_, i: string) => written[Number(i)]!)
      : write(value);
  } finally {
    pieces = [];
  }
}

function occurrences(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + 1)) n += 1;
  return n;
}

function write(value: Json): string {
  if (value instanceof JsonDecimal) return value.text;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) parts.push(`${JSON.stringify(k)}:${write(v)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}
