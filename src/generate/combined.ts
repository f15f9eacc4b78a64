/**
 * Apache/nginx "combined" access logs:
 * `%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"`, e.g.
 * `192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "http://x/" "Mozilla/4.08"`.
 * `%b` is `-` when no body is sent (304, HEAD), as Apache writes it.
 */
import {
  MODERN_USER_AGENTS,
  TrafficSource,
  buildSiteResources,
  timeOfDay,
  type SourceOptions,
} from './model.js';
import { WeightedPicker } from './random.js';

export const SITE = 'https://www.example.com';
/** The server's fixed UTC offset in %t. */
export const UTC_OFFSET = '-0700';

const STATUSES: ReadonlyArray<readonly [number, number]> = [
  [200, 800],
  [304, 80],
  [301, 20],
  [302, 20],
  [404, 50],
  [403, 10],
  [500, 15],
];
const METHODS: ReadonlyArray<readonly [string, number]> = [
  ['GET', 920],
  ['POST', 50],
  ['HEAD', 30],
];
const PROTOCOLS: ReadonlyArray<readonly [string, number]> = [
  ['HTTP/1.1', 90],
  ['HTTP/1.0', 10],
];
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const REDIRECTED = ['/login', '/logout', '/account', '/checkout', '/old-shop'];

type OddKind = 'empty' | 'truncated' | 'dash-request' | 'tls-garbage' | 'escaped-quote' | 'bad-timestamp';
const ODD_KINDS = new WeightedPicker<OddKind>([
  ['empty', 15],
  ['truncated', 20],
  ['dash-request', 20],
  ['tls-garbage', 15],
  ['escaped-quote', 15],
  ['bad-timestamp', 15],
]);

export class CombinedSource extends TrafficSource {
  readonly header: readonly string[] = [];
  private readonly statuses = new WeightedPicker(STATUSES);
  private readonly methods = new WeightedPicker(METHODS);
  private readonly protocols = new WeightedPicker(PROTOCOLS);

  constructor(options: SourceOptions) {
    super(options, { userAgents: new WeightedPicker(MODERN_USER_AGENTS), ipv6Share: 0.03, buildResources: buildSiteResources, site: SITE });
  }

  next(): string {
    const rng = this.rng;
    const tl = this.timeline;
    tl.advance(this.index++);
    const stamp = `[${tl.clfDates[tl.day]}:${timeOfDay(tl.secondOfDay)} ${UTC_OFFSET}]`;
    const client = this.clients.pick(rng);
    const user = rng.chance(0.02) ? rng.pick(USERS) : '-';
    const method = this.methods.pick(rng);
    const status = this.statuses.pick(rng);
    const resource = this.resources.pick(rng);
    let path = resource.path;
    let bytes: string;
    switch (status) {
      case 200:
        bytes = method === 'HEAD' ? '-' : String(resource.size);
        break;
      case 304:
        bytes = '-';
        break;
      case 301:
        // The canonical URL has no trailing slash.
        if (!path.includes('?') && path !== '/') path += '/';
        bytes = String(rng.int(228, 262));
        break;
      case 302:
        path = rng.pick(REDIRECTED);
        bytes = String(rng.int(204, 240));
        break;
      case 404:
        if (rng.chance(0.7)) path = this.missing.pick(rng);
        bytes = String(rng.int(196, 520));
        break;
      case 403:
        path = this.forbidden.pick(rng);
        bytes = String(rng.int(199, 320));
        break;
      default:
        bytes = String(rng.int(520, 640));
    }
    const protocol = this.protocols.pick(rng);
    const referrer = this.referrers.pick(rng);
    const ua = rng.chance(0.08) ? this.userAgents.pick(rng) : client.ua;
    const line = `${client.ip} - ${user} ${stamp} "${method} ${path} ${protocol}" ${status} ${bytes} "${referrer}" "${ua}"`;
    if (this.drawOdd()) {
      return this.oddLine(line, client.ip, stamp);
    }
    return line;
  }

  /** Lines real servers write that a combined-format pattern rejects, or that give NULL columns. */
  private oddLine(line: string, ip: string, stamp: string): string {
    const rng = this.oddRng;
    switch (ODD_KINDS.pick(rng)) {
      case 'empty':
        return '';
      case 'truncated':
        // Always loses at least the closing quote of the user agent.
        return line.slice(0, rng.int(10, line.length - 2));
      case 'dash-request':
        // A client that connected and sent nothing: Apache logs "-" and 408.
        return `${ip} - - ${stamp} "-" 408 - "-" "-"`;
      case 'tls-garbage':
        // A TLS handshake sent to the plain-HTTP port, escaped as Apache does.
        return `${ip} - - ${stamp} "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03" 400 226 "-" "-"`;
      case 'escaped-quote':
        return line.slice(0, line.lastIndexOf('"', line.length - 2) + 1) + 'Mozilla/5.0 (compatible; \\"Scanner\\"; +https://scan.example.net)"';
      case 'bad-timestamp':
        // A LogFormat with ISO times: the pattern matches, date parsing gives NULL.
        return line.replace(stamp, `[${this.timeline.isoDates[this.timeline.day]}T${timeOfDay(this.timeline.secondOfDay)}Z]`);
    }
  }
}
