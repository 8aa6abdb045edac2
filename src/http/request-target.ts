/** The path of a request target (origin-form, or absolute-form as proxies send it), without its query. */
export function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  if (!target.startsWith('/')) {
    try {
      return new URL(target).pathname;
    } catch {
      return target;
    }
  }
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}
