/** Host names as the guard (guard.ts) and the start-up checks (config.ts) read them. */

/** A Host header as a URL host: a name or IPv4 address, or a bracketed IPv6 address, and an optional port. */
const HOST = /^(?:[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The host name of a valid Host header, lower case, without port or brackets; null when it is not a valid host. */
export function hostName(host: string): string | null {
  if (!HOST.test(host)) return null;
  try {
    const url = new URL(`http://${host}`);
    return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  } catch {
    return null;
  }
}

/** localhost (and its subdomains, RFC 6761), 127.0.0.0/8, ::1, and 127.0.0.0/8 mapped to IPv6 (::ffff:127.0.0.1, as URL writes it ::ffff:7f00:1). */
export function isLoopbackName(name: string): boolean {
  const v4 = name.startsWith('::ffff:') ? name.slice(7) : name;
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    /^127(?:\.\d{1,3}){3}$/.test(v4) ||
    name === '::1' ||
    /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(name)
  );
}

/** Whether an address the server listens on reaches only this machine. */
export function isLoopbackAddress(address: string): boolean {
  return isLoopbackName(address.toLowerCase().replace(/^\[|\]$/g, ''));
}
