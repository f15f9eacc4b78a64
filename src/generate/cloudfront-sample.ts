/**
 * The EMR tutorial's CloudFront sample format (REFERENCE §1): 11 tab-separated
 * fields — date, time, edge location, bytes, client IP, method, host, URI,
 * status, referrer, user agent — with a `%20`-encoded user agent whose first
 * token in parentheses is the OS and whose last `Name/Version` token is the
 * browser, which is what the tutorial's RegexSerDe pattern extracts.
 */
import {
  METHOD_WEIGHTS,
  STATUS_WEIGHTS,
  TrafficSource,
  buildCdnResources,
  timeOfDay,
  type Client,
  type Resource,
  type SourceOptions,
} from './model.js';
import { Random, WeightedPicker } from './random.js';

/** The tutorial's single distribution. */
export const SAMPLE_HOST = 'eabcd12345678.cloudfront.net';

/** CloudFront edge locations of 2014, weighted by how much traffic a US/EU-heavy site sees there. */
export const EDGE_LOCATIONS: ReadonlyArray<readonly [string, number]> = [
  ['IAD2', 14], ['IAD12', 6], ['JFK1', 8], ['EWR2', 5], ['DFW3', 7], ['ORD51', 6], ['SFO4', 8],
  ['LAX1', 7], ['SEA4', 5], ['MIA3', 3], ['ATL50', 3], ['LHR3', 8], ['LHR5', 4], ['FRA2', 6],
  ['AMS1', 4], ['CDG3', 4], ['DUB2', 2], ['MAD50', 2], ['NRT12', 5], ['HKG1', 3], ['SIN2', 3],
  ['ICN50', 2], ['SYD1', 3], ['GRU1', 2], ['BOM50', 1],
];

/** OS shares close to the tutorial's published answer (Android 855, Linux 813, …). */
const OS_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['Android', 855], ['Linux', 813], ['MacOS', 852], ['OSX', 799], ['Windows', 883], ['iOS', 794],
];

const PLATFORMS: Readonly<Record<string, readonly string[]>> = {
  Android: ['Android%204.4.2;%20Nexus%205', 'Android%204.1.2;%20GT-I9300', 'Android%204.3;%20HTC%20One'],
  Linux: ['X11;%20Linux%20x86_64', 'X11;%20Ubuntu;%20Linux%20i686'],
  MacOS: ['Intel%20Mac%20OS%20X%2010_6_8', 'PPC%20Mac%20OS%20X%2010_5_8'],
  OSX: ['Intel%20Mac%20OS%20X%2010_9_4', 'Intel%20Mac%20OS%20X%2010_8_5'],
  Windows: ['Windows%20NT%205.1', 'Windows%20NT%206.1', 'Windows%20NT%206.3'],
  iOS: ['CPU%20iPhone%20OS%207_1_2%20like%20Mac%20OS%20X', 'CPU%20OS%207_1%20like%20Mac%20OS%20X'],
};

interface Browser {
  readonly name: string;
  readonly engine: string;
  readonly versions: readonly string[];
}

const BROWSERS: Readonly<Record<string, Browser>> = {
  Chrome: { name: 'Chrome', engine: 'AppleWebKit/537.36%20(KHTML,%20like%20Gecko)', versions: ['34.0.1847.131', '35.0.1916.153', '36.0.1985.125'] },
  Firefox: { name: 'Firefox', engine: 'Gecko/20100101', versions: ['28.0', '29.0', '30.0', '31.0', '3.0.9'] },
  Safari: { name: 'Safari', engine: 'AppleWebKit/537.77.4%20(KHTML,%20like%20Gecko)', versions: ['6.1.5', '7.0', '7.0.5'] },
  IE: { name: 'IE', engine: 'Trident/7.0', versions: ['8.0', '9.0', '10.0', '11.0'] },
  Opera: { name: 'Opera', engine: 'Presto/2.12.388', versions: ['12.16', '22.0.1471.70', '23.0.1522.60'] },
};

/** Which browsers run on which OS, with their shares there. */
const OS_BROWSERS: Readonly<Record<string, ReadonlyArray<readonly [string, number]>>> = {
  Android: [['Chrome', 70], ['Firefox', 15], ['Opera', 15]],
  Linux: [['Firefox', 55], ['Chrome', 35], ['Opera', 10]],
  MacOS: [['Safari', 55], ['Firefox', 25], ['Chrome', 20]],
  OSX: [['Safari', 50], ['Chrome', 35], ['Firefox', 15]],
  Windows: [['IE', 40], ['Chrome', 35], ['Firefox', 20], ['Opera', 5]],
  iOS: [['Safari', 85], ['Chrome', 15]],
};

const LOCALES: ReadonlyArray<readonly [string, number]> = [
  ['en-US', 60], ['en-GB', 12], ['de-DE', 8], ['fr-FR', 7], ['ja-JP', 7], ['es-ES', 6],
];

/** Every OS × platform × browser × version × locale combination, weighted so each OS keeps its share. */
export function sampleUserAgents(): WeightedPicker<string> {
  const entries: Array<readonly [string, number]> = [];
  for (const [os, osWeight] of OS_WEIGHTS) {
    const platforms = PLATFORMS[os]!;
    for (const platform of platforms) {
      for (const [browserName, browserWeight] of OS_BROWSERS[os]!) {
        const browser = BROWSERS[browserName]!;
        for (const version of browser.versions) {
          for (const [locale, localeWeight] of LOCALES) {
            const ua = `Mozilla/5.0%20(${os};%20U;%20${platform};%20${locale})%20${browser.engine}%20${browser.name}/${version}`;
            const weight = (osWeight * browserWeight * localeWeight) / (platforms.length * browser.versions.length);
            entries.push([ua, weight]);
          }
        }
      }
    }
  }
  return new WeightedPicker(entries);
}

/** User agents without any `(`: the tutorial's pattern needs one, so such lines do not match. */
const AGENTS_WITHOUT_PAREN = ['curl/7.35.0', 'python-requests/2.3.0%20CPython/2.7.6', 'Java/1.7.0_55', 'Wget/1.15', 'Amazon%20CloudFront'];
const BAD_DATES = ['2014-13-45', '2014-07-32', '2014-00-10'];
const FIELDS_COMMENT = '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent)';

type OddKind = 'comment' | 'no-paren' | 'truncated' | 'empty' | 'spaces' | 'dash-bytes' | 'bad-date';
const ODD_KINDS = new WeightedPicker<OddKind>([
  ['comment', 15],
  ['no-paren', 15],
  ['truncated', 15],
  ['empty', 10],
  ['spaces', 15],
  ['dash-bytes', 15],
  ['bad-date', 15],
]);

/**
 * Bytes sent for a response: the body plus headers for a GET, a short reply
 * for other methods, headers only for 304, an error page otherwise.
 */
export function responseBytes(rng: Random, status: number, method: string, resource: Resource): number {
  if (status === 200) {
    if (method === 'GET') return resource.size + rng.int(250, 480);
    if (method === 'POST' || method === 'PUT') return rng.int(300, 2_500);
    return rng.int(250, 480);
  }
  if (status === 304) return rng.int(180, 400);
  return rng.int(300, 950);
}

/** One request to a CloudFront distribution, as both CloudFront formats draw it (same draws, same order). */
export interface CdnRequest {
  readonly date: string;
  readonly time: string;
  readonly edge: string;
  readonly client: Client;
  readonly method: string;
  readonly status: number;
  readonly resource: Resource;
  readonly uri: string;
  readonly bytes: number;
}

/** The CloudFront formats' common draws: edge location, client, method, status, object, error paths, size. */
export abstract class CdnTrafficSource extends TrafficSource {
  private readonly edges = new WeightedPicker(EDGE_LOCATIONS);
  private readonly statuses = new WeightedPicker(STATUS_WEIGHTS);
  private readonly methods = new WeightedPicker(METHOD_WEIGHTS);

  protected drawRequest(): CdnRequest {
    const rng = this.rng;
    const tl = this.timeline;
    tl.advance(this.index++);
    const date = tl.isoDates[tl.day]!;
    const time = timeOfDay(tl.secondOfDay);
    const edge = this.edges.pick(rng);
    const client = this.clients.pick(rng);
    const method = this.methods.pick(rng);
    const status = this.statuses.pick(rng);
    const resource = this.resources.pick(rng);
    let uri = resource.path;
    // Errors concentrate on their own paths so the top-404 report has a head.
    if (status === 404 && rng.chance(0.7)) uri = this.missing.pick(rng);
    else if (status === 403) uri = this.forbidden.pick(rng);
    const bytes = responseBytes(rng, status, method, resource);
    return { date, time, edge, client, method, status, resource, uri, bytes };
  }
}

export class CloudfrontSampleSource extends CdnTrafficSource {
  readonly header: readonly string[] = [];

  constructor(options: SourceOptions) {
    super(options, { userAgents: sampleUserAgents(), ipv6Share: 0, buildResources: buildCdnResources, site: `https://${SAMPLE_HOST}` });
  }

  next(): string {
    const rng = this.rng;
    const { date, time, edge, client, method, status, uri, bytes } = this.drawRequest();
    const referrer = this.referrers.pick(rng);
    // Some clients share an address (NAT) and send a different agent.
    const ua = rng.chance(0.08) ? this.userAgents.pick(rng) : client.ua;
    const line = `${date}\t${time}\t${edge}\t${bytes}\t${client.ip}\t${method}\t${SAMPLE_HOST}\t${uri}\t${status}\t${referrer}\t${ua}`;
    if (this.drawOdd()) {
      return this.oddLine(line, [date, time, edge, String(bytes), client.ip, method, SAMPLE_HOST, uri, String(status), referrer, ua]);
    }
    return line;
  }

  /** A line the tutorial's table reads badly: not matching its pattern (an all-NULL row) or with a NULL column. */
  private oddLine(line: string, fields: string[]): string {
    const rng = this.oddRng;
    switch (ODD_KINDS.pick(rng)) {
      case 'comment':
        return rng.chance(0.5) ? '#Version: 1.0' : FIELDS_COMMENT;
      case 'no-paren':
        fields[10] = rng.pick(AGENTS_WITHOUT_PAREN);
        return fields.join('\t');
      case 'truncated':
        // Cut before the user agent's `(`, so the pattern cannot match.
        return line.slice(0, rng.int(1, line.indexOf('(') - 1));
      case 'empty':
        return '';
      case 'spaces':
        // Still matches: the pattern separates fields with \s+, and no field contains a space.
        return fields.join(rng.chance(0.5) ? ' ' : '  ');
      case 'dash-bytes':
        // Matches, but Bytes INT becomes NULL.
        fields[3] = '-';
        return fields.join('\t');
      case 'bad-date':
        // Matches; Hive 3's lenient Date.valueOf rolls it over (2014-07-32 reads as 2014-08-01), it is not NULL.
        fields[0] = rng.pick(BAD_DATES);
        return fields.join('\t');
    }
  }
}
