/** Query parameters as received; a repeated parameter keeps its last value, as Django's QueryDict.get does. */
export type QueryParams = Record<string, string | string[] | undefined>;

export function lastParam(query: QueryParams, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}
