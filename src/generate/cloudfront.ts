/**
 * Real CloudFront standard (access) logs (REFERENCE §4): two header lines,
 * then 33 tab-separated fields per request, `-` for an empty field, the user
 * agent with `%20` for spaces. Files are gzip and named
 * `<distribution-id>.YYYY-MM-DD-HH.<unique-id>.gz`.
 */
import { CdnTrafficSource } from './cloudfront-sample.js';
import {
  MODERN_USER_AGENTS,
  PAD2,
  PAD3,
  buildCdnResources,
  type SourceOptions,
} from './model.js';
import { WeightedPicker } from './random.js';

/** The distribution ID AWS's documentation uses in its examples. */
export const DISTRIBUTION_ID = 'EDFDVBD6EXAMPLE';
export const DISTRIBUTION_DOMAIN = 'd111111abcdef8.cloudfront.net';

export const CLOUDFRONT_FIELDS = [
  'date', 'time', 'x-edge-location', 'sc-bytes', 'c-ip', 'cs-method', 'cs(Host)', 'cs-uri-stem', 'sc-status',
  'cs(Referer)', 'cs(User-Agent)', 'cs-uri-query', 'cs(Cookie)', 'x-edge-result-type', 'x-edge-request-id',
  'x-host-header', 'cs-protocol', 'cs-bytes', 'time-taken', 'x-forwarded-for', 'ssl-protocol', 'ssl-cipher',
  'x-edge-response-result-type', 'cs-protocol-version', 'fle-status', 'fle-encrypted-fields', 'c-port',
  'time-to-first-byte', 'x-edge-detailed-result-type', 'sc-content-type', 'sc-content-len', 'sc-range-start',
  'sc-range-end',
] as const;

export const CLOUDFRONT_HEADER: readonly string[] = ['#Version: 1.0', `#Fields: ${CLOUDFRONT_FIELDS.join(' ')}`];

const QUERIES: ReadonlyArray<readonly [string, number]> = [
  ['-', 850],
  ['v=2', 40],
  ['size=large', 30],
  ['w=640&h=480', 30],
  ['utm_source=newsletter&utm_medium=email', 30],
  ['t=1404172800', 20],
];
const CIPHERS: ReadonlyArray<readonly [string, number]> = [
  ['ECDHE-RSA-AES128-GCM-SHA256', 70],
  ['ECDHE-RSA-AES128-SHA', 15],
  ['AES128-SHA', 10],
  ['ECDHE-RSA-AES256-GCM-SHA384', 5],
];
const TLS_VERSIONS: ReadonlyArray<readonly [string, number]> = [
  ['TLSv1.2', 85],
  ['TLSv1.1', 5],
  ['TLSv1', 10],
];
const HTTP_VERSIONS: ReadonlyArray<readonly [string, number]> = [
  ['HTTP/1.1', 85],
  ['HTTP/1.0', 5],
  ['HTTP/2.0', 10],
];
const HIT_RESULTS = new WeightedPicker<string>([['Hit', 70], ['Miss', 22], ['RefreshHit', 8]]);
const NOT_MODIFIED_RESULTS = new WeightedPicker<string>([['Hit', 60], ['RefreshHit', 40]]);

/** URL-safe base64 alphabet of CloudFront request IDs. */
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const BAD_DATES = ['2014-13-45', '2014-07-32', '2014-00-10'];

type OddKind = 'comment' | 'truncated' | 'empty' | 'dash-bytes' | 'bad-date' | 'extra-field';
const ODD_KINDS = new WeightedPicker<OddKind>([
  ['comment', 15],
  ['truncated', 20],
  ['empty', 10],
  ['dash-bytes', 20],
  ['bad-date', 20],
  ['extra-field', 15],
]);

/** Seconds with millisecond precision, as CloudFront writes time-taken: `0.004`. */
function seconds(ms: number): string {
  return `${Math.floor(ms / 1000)}.${PAD3[ms % 1000]}`;
}

export class CloudfrontSource extends CdnTrafficSource {
  readonly header = CLOUDFRONT_HEADER;
  private readonly queries = new WeightedPicker(QUERIES);
  private readonly ciphers = new WeightedPicker(CIPHERS);
  private readonly tlsVersions = new WeightedPicker(TLS_VERSIONS);
  private readonly httpVersions = new WeightedPicker(HTTP_VERSIONS);

  constructor(options: SourceOptions) {
    super(options, { userAgents: new WeightedPicker(MODERN_USER_AGENTS.map(([ua, w]) => [ua.replaceAll(' ', '%20'), w] as const)), ipv6Share: 0.03, buildResources: buildCdnResources, site: 'https://www.example.com' });
  }

  private requestId(): string {
    const rng = this.rng;
    let id = '';
    // Five 6-bit characters per 32-bit draw.
    for (let i = 0; i < 11; i++) {
      const r = rng.uint32();
      id += ID_ALPHABET[r & 63]! + ID_ALPHABET[(r >>> 6) & 63]! + ID_ALPHABET[(r >>> 12) & 63]! + ID_ALPHABET[(r >>> 18) & 63]! + ID_ALPHABET[(r >>> 24) & 63]!;
    }
    return `${id.slice(0, 54)}==`;
  }

  next(): string {
    const rng = this.rng;
    const request = this.drawRequest();
    const { date, time, edge, client, method, resource, uri } = request;
    let { status, bytes: scBytes } = request;
    let contentType = resource.contentType;
    let contentLen = method === 'GET' || method === 'HEAD' ? String(resource.size) : String(scBytes - 250);
    let rangeStart = '-';
    let rangeEnd = '-';
    let result: string;
    if (status === 200 && method === 'GET' && resource.contentType === 'video/mp4' && rng.chance(0.5)) {
      // Players fetch video in ranges.
      status = 206;
      const start = rng.int(0, resource.size - 1);
      const end = Math.min(resource.size - 1, start + rng.int(65_536, 4_194_304));
      rangeStart = String(start);
      rangeEnd = String(end);
      contentLen = String(end - start + 1);
      scBytes = end - start + 1 + rng.int(300, 500);
    }
    if (status === 200 || status === 206) result = HIT_RESULTS.pick(rng);
    else if (status === 304) {
      result = NOT_MODIFIED_RESULTS.pick(rng);
      contentType = '-';
      contentLen = '-';
    } else {
      result = 'Error';
      contentType = 'text/html';
      contentLen = String(scBytes - rng.int(200, 290));
    }
    const https = rng.chance(0.85);
    const protocol = https ? 'https' : 'http';
    const tls = https ? this.tlsVersions.pick(rng) : '-';
    const cipher = https ? this.ciphers.pick(rng) : '-';
    const ua = rng.chance(0.08) ? this.userAgents.pick(rng) : client.ua;
    const query = this.queries.pick(rng);
    const cookie = rng.chance(0.05) ? `session-id=${rng.uint32().toString(16)}` : '-';
    const hostHeader = rng.chance(0.7) ? 'cdn.example.com' : DISTRIBUTION_DOMAIN;
    const csBytes = method === 'POST' || method === 'PUT' ? rng.int(500, 20_000) : rng.int(120, 900);
    const takenMs = result === 'Hit' ? rng.int(1, 60) : rng.int(40, 1800);
    const firstByteMs = Math.min(takenMs, result === 'Hit' ? rng.int(1, 20) : rng.int(30, 900));
    const line =
      `${date}\t${time}\t${edge}\t${scBytes}\t${client.ip}\t${method}\t${DISTRIBUTION_DOMAIN}\t${uri}\t${status}\t` +
      `${this.referrers.pick(rng)}\t${ua}\t${query}\t${cookie}\t${result}\t${this.requestId()}\t${hostHeader}\t` +
      `${protocol}\t${csBytes}\t${seconds(takenMs)}\t-\t${tls}\t${cipher}\t${result}\t${this.httpVersions.pick(rng)}\t` +
      `-\t-\t${rng.int(1024, 65535)}\t${seconds(firstByteMs)}\t${result}\t${contentType}\t${contentLen}\t${rangeStart}\t${rangeEnd}`;
    if (this.drawOdd()) {
      return this.oddLine(line);
    }
    return line;
  }

  /** A line a `FIELDS TERMINATED BY '\t'` table reads badly: a stray header, missing fields, NULL columns. */
  private oddLine(line: string): string {
    const rng = this.oddRng;
    const fields = line.split('\t');
    switch (ODD_KINDS.pick(rng)) {
      case 'comment':
        // Headers in the middle of a file, as when files are concatenated; skip.header.line.count only skips the top.
        return CLOUDFRONT_HEADER[rng.int(0, 1)]!;
      case 'truncated':
        return fields.slice(0, rng.int(1, fields.length - 3)).join('\t');
      case 'empty':
        return '';
      case 'dash-bytes':
        fields[3] = '-';
        return fields.join('\t');
      case 'bad-date':
        fields[0] = rng.pick(BAD_DATES);
        return fields.join('\t');
      case 'extra-field':
        // A field appended by a newer log version: LazySimpleSerDe ignores it.
        fields.push(rng.pick(['-', 'IPv4', 'TLSv1.3']));
        return fields.join('\t');
    }
  }

  /** `YYYY-MM-DD-HH` of the current record, for file names. */
  static hourStamp(epochSeconds: number): string {
    const d = new Date(epochSeconds * 1000);
    return `${d.getUTCFullYear()}-${PAD2[d.getUTCMonth() + 1]}-${PAD2[d.getUTCDate()]}-${PAD2[d.getUTCHours()]}`;
  }
}
