/**
 * Matching of request hosts against proxy bypass lists: VS Code's `http.noProxy` setting and the
 * `NO_PROXY` environment variable. The rules are those of undici's `EnvHttpProxyAgent` (undici 7.30),
 * plus IPv6 literals without brackets and CIDR ranges:
 *
 * - `*` alone bypasses the proxy for every host;
 * - `example.com`, `.example.com` and `*.example.com` all match `example.com` and every subdomain of it;
 * - `host:port` matches only that port (the scheme's default port when the URL has none);
 * - IPv6 literals may be written with or without brackets (`[::1]`, `::1`, `[::1]:8080`);
 * - CIDR ranges such as `10.0.0.0/8` match IP literal hosts; host names are never resolved to match them.
 */
import { BlockList, isIP } from 'node:net';

interface HostEntry {
  /** Lowercase host name or IP literal, without brackets and without a leading `.` or `*.`. */
  readonly hostname: string;
  /** 0 when the entry matches every port. */
  readonly port: number;
}

/** A parsed bypass list. */
export interface NoProxyList {
  readonly matchesAll: boolean;
  readonly hosts: readonly HostEntry[];
  readonly ranges: BlockList;
  readonly hasRanges: boolean;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** Parses bypass entries; each value may itself hold several entries separated by commas or whitespace. */
export function parseNoProxy(values: readonly string[]): NoProxyList {
  const hosts: HostEntry[] = [];
  const ranges = new BlockList();
  let hasRanges = false;
  let matchesAll = false;

  for (const entry of values.flatMap((value) => value.split(/[,\s]+/))) {
    const text = entry.trim().toLowerCase();
    if (text === '') {
      continue;
    }
    if (text === '*') {
      matchesAll = true;
      continue;
    }
    const range = parseRange(text);
    if (range) {
      ranges.addSubnet(range.address, range.prefix, range.family);
      hasRanges = true;
      continue;
    }
    hosts.push(parseHostEntry(text));
  }
  return { matchesAll, hosts, ranges, hasRanges };
}

/** Returns whether a request to `url` must bypass the proxy. */
export function bypassesProxy(list: NoProxyList, url: URL): boolean {
  if (list.matchesAll) {
    return true;
  }
  const hostname = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? (DEFAULT_PORTS[url.protocol] ?? 0) : Number(url.port);

  for (const entry of list.hosts) {
    if (entry.port !== 0 && entry.port !== port) {
      continue;
    }
    if (hostname === entry.hostname || hostname.endsWith(`.${entry.hostname}`)) {
      return true;
    }
  }

  const family = isIP(hostname);
  if (list.hasRanges && family !== 0) {
    return list.ranges.check(hostname, family === 6 ? 'ipv6' : 'ipv4');
  }
  return false;
}

function parseHostEntry(text: string): HostEntry {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    return { hostname: bracketed[1] as string, port: bracketed[2] ? Number(bracketed[2]) : 0 };
  }
  if (isIP(text) === 6) {
    return { hostname: text, port: 0 };
  }
  const withPort = /^(.+):(\d+)$/.exec(text);
  const hostname = withPort ? (withPort[1] as string) : text;
  return { hostname: hostname.replace(/^\*?\./, ''), port: withPort ? Number(withPort[2]) : 0 };
}

function parseRange(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const match = /^\[?([0-9a-f:.]+)\]?\/(\d{1,3})$/.exec(text);
  if (!match) {
    return undefined;
  }
  const address = match[1] as string;
  const prefix = Number(match[2]);
  const family = isIP(address);
  if (family === 4 && prefix <= 32) {
    return { address, prefix, family: 'ipv4' };
  }
  if (family === 6 && prefix <= 128) {
    return { address, prefix, family: 'ipv6' };
  }
  return undefined;
}
