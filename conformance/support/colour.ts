/**
 * Colour for what the suite prints itself: on for a terminal, or when
 * FORCE_COLOR asks for it; never when NO_COLOR is set (https://no-color.org).
 */
export type Paint = (style: 'green' | 'red' | 'yellow' | 'dim' | 'bold', text: string) => string;

const CODES = { green: 32, red: 31, yellow: 33, dim: 2, bold: 1 } as const;

export function paintFor(stream: { isTTY?: boolean }): Paint {
  const env = process.env;
  const on =
    !env.NO_COLOR &&
    (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' ? env.FORCE_COLOR !== '0' : stream.isTTY === true);
  return (style, text) => (on ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text);
}
