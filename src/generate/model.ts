/**
 * The traffic model shared by the log formats: when requests happen, who
 * makes them, what they ask for and where they come from. Each format module
 * turns one request of this model into one line of its own syntax.
 */
import { Random, WeightedPicker, zipfPicker } from './random.js';

/** One generated log format behind a cursor: call next() once per record. */
export interface LineSource {
  /** Lines that start every file of this format (CloudFront's `#Version`/`#Fields`), not counted as records. */
  readonly header: readonly string[];
  /** The next record, without a line terminator. */
  next(): string;
  /** Whether the record last returned by next() is an odd line. */
  readonly odd: boolean;
  /** Nominal time of the record last returned by next(), in epoch seconds (UTC), even when the line shows a broken date. */
  readonly time: number;
}

export interface SourceOptions {
  readonly seed: number;
  /** Records the source will be asked for; spreads the timestamps over the whole span. */
  readonly lines: number;
  readonly oddRate: number;
}

/** Independent PRNG streams per concern, so e.g. changing oddRate leaves the regular lines unchanged. */
export const STREAM = { lines: 0, pools: 1, odd: 2, names: 3 } as const;

/** First day of generated traffic: a few days before the tutorial's 2014-07-05, so some lines fall outside its range. */
export const SPAN_START_UTC = Date.UTC(2014, 6, 1) / 1000;
/** 2014-07-01 .. 2014-08-10 inclusive: the tutorial's range ends 2014-08-05. */
export const SPAN_DAYS = 41;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '00' .. '99', so formatting a time allocates nothing. */
export const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
export const PAD3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let timeStrings: string[] | undefined;
/** `HH:MM:SS` for every second of a day, built once (about 3 MB) and shared. */
export function timeOfDay(secondOfDay: number): string {
  if (!timeStrings) {
    timeStrings = new Array<string>(86400);
    for (let s = 0; s < 86400; s++) {
      timeStrings[s] = `${PAD2[Math.floor(s / 3600)]}:${PAD2[Math.floor(s / 60) % 60]}:${PAD2[s % 60]}`;
    }
  }
  return timeStrings[secondOfDay]!;
}

/** Requests per hour of the day (UTC), relative: a quiet night and a busy afternoon. */
const DIURNAL = [30, 22, 16, 12, 10, 10, 14, 22, 36, 50, 60, 66, 70, 72, 70, 68, 66, 64, 62, 60, 56, 50, 44, 36];

/**
 * Maps record i of n to a timestamp. Record times never decrease, like a real
 * log, and follow a daily curve with quieter weekends and some noise per hour,
 * so per-hour and per-day reports have shape. Constant memory: one weight per
 * hour of the span, walked forward with a pointer.
 */
export class Timeline {
  /** Day index in the span of the current record (0 = 2014-07-01). */
  day = 0;
  /** Second of that day, 0 .. 86399. */
  secondOfDay = 0;
  /** `YYYY-MM-DD` per day of the span. */
  readonly isoDates: readonly string[];
  /** `DD/Mon/YYYY` per day of the span (Apache's %t). */
  readonly clfDates: readonly string[];
  private readonly ends: Float64Array;
  private hourIndex = 0;

  constructor(
    private readonly rng: Random,
    noise: Random,
    private readonly total: number,
  ) {
    const hours = SPAN_DAYS * 24;
    const weights = new Float64Array(hours);
    let sum = 0;
    const iso: string[] = [];
    const clf: string[] = [];
    for (let d = 0; d < SPAN_DAYS; d++) {
      const date = new Date((SPAN_START_UTC + d * 86400) * 1000);
      const y = date.getUTCFullYear();
      const m = date.getUTCMonth();
      const dd = date.getUTCDate();
      iso.push(`${y}-${PAD2[m + 1]}-${PAD2[dd]}`);
      clf.push(`${PAD2[dd]}/${MONTHS[m]}/${y}`);
      const dow = date.getUTCDay();
      const weekday = dow === 0 || dow === 6 ? 0.8 : 1;
      for (let h = 0; h < 24; h++) {
        const w = DIURNAL[h]! * weekday * (0.85 + 0.3 * noise.next());
        sum += w;
        weights[d * 24 + h] = sum;
      }
    }
    for (let i = 0; i < hours; i++) weights[i] = weights[i]! / sum;
    weights[hours - 1] = 1;
    this.ends = weights;
    this.isoDates = iso;
    this.clfDates = clf;
  }

  /** Moves to record i (call with i = 0, 1, 2, … in order). */
  advance(i: number): void {
    let u = (i + this.rng.next()) / this.total;
    // (n - 1 + r) / n can round to 1 for very large n.
    if (u >= 1) u = 0.9999999999;
    const ends = this.ends;
    let h = this.hourIndex;
    while (ends[h]! <= u) h++;
    this.hourIndex = h;
    const start = h === 0 ? 0 : ends[h - 1]!;
    let sec = Math.floor(((u - start) / (ends[h]! - start)) * 3600);
    if (sec > 3599) sec = 3599;
    else if (sec < 0) sec = 0;
    this.day = Math.floor(h / 24);
    this.secondOfDay = (h % 24) * 3600 + sec;
  }

  /** Epoch seconds of the current record. */
  get epochSeconds(): number {
    return SPAN_START_UTC + this.day * 86400 + this.secondOfDay;
  }
}

/** A requester: an address and the user agent it usually sends. */
export interface Client {
  readonly ip: string;
  readonly ua: string;
}

function ipv4(rng: Random): string {
  // Private and documentation ranges only: the data is synthetic and should not name real hosts.
  const r = rng.next();
  if (r < 0.7) return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  if (r < 0.8) return `172.${rng.int(16, 31)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  if (r < 0.85) return `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  return `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 254)}`;
}

function ipv6(rng: Random): string {
  const hex = (): string => rng.int(0, 0xffff).toString(16);
  return `2001:db8:${hex()}:${hex()}::${hex()}`;
}

const GOLDEN_FRACTION = 0.6180339887498949;

/**
 * A pool of clients picked Zipf-like, so a few addresses make many requests
 * (crawlers, offices behind NAT) and most make a handful.
 */
export class ClientPool {
  private readonly clients: Client[] = [];
  private readonly picker: WeightedPicker<number>;

  constructor(rng: Random, count: number, uas: WeightedPicker<string>, ipv6Share = 0) {
    const indexes: number[] = [];
    // Agents are dealt along a golden-ratio sequence rather than drawn, so that
    // the busiest clients, which dominate small samples, already cover the agent
    // mix evenly and per-OS counts stay close to their weights (as in the tutorial data).
    let u = rng.next();
    for (let i = 0; i < count; i++) {
      const ip = ipv6Share > 0 && rng.chance(ipv6Share) ? ipv6(rng) : ipv4(rng);
      this.clients.push({ ip, ua: uas.items[uas.indexAt(u)]! });
      u += GOLDEN_FRACTION;
      if (u >= 1) u -= 1;
      indexes.push(i);
    }
    // A flat head: a few busy clients, none dominating.
    this.picker = zipfPicker(indexes, 30);
  }

  pick(rng: Random): Client {
    return this.clients[this.picker.pick(rng)]!;
  }
}

/** How many distinct clients a run of `lines` records has: grows with the run, bounded for memory. */
export function clientCount(lines: number): number {
  return Math.min(50_000, Math.max(50, Math.ceil(lines / 6)));
}

/** Something a server returns: its path, body size and content type. */
export interface Resource {
  readonly path: string;
  readonly size: number;
  readonly contentType: string;
}

interface ResourceKind {
  readonly template: (n: number) => string;
  readonly min: number;
  readonly max: number;
  readonly contentType: string;
}

/** A size in [min, max], skewed toward small (product of two uniforms, no logarithms). */
export function skewedSize(rng: Random, min: number, max: number): number {
  return min + Math.floor((max - min) * rng.next() * rng.next());
}

function buildResources(rng: Random, count: number, kinds: ReadonlyArray<readonly [ResourceKind, number]>, fixed: readonly Resource[]): Resource[] {
  const picker = new WeightedPicker(kinds);
  const counters = new Map<ResourceKind, number>();
  const out: Resource[] = [...fixed];
  while (out.length < count) {
    const kind = picker.pick(rng);
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    out.push({ path: kind.template(n), size: skewedSize(rng, kind.min, kind.max), contentType: kind.contentType });
  }
  // Popularity rank is independent of the order of creation.
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** What a CDN distribution serves: images (the tutorial's `/test-image-1.jpeg` among them), scripts, styles, video, documents. */
export function buildCdnResources(rng: Random, count = 1000): Resource[] {
  const kinds: Array<readonly [ResourceKind, number]> = [
    [{ template: (n) => `/test-image-${n}.jpeg`, min: 2_000, max: 400_000, contentType: 'image/jpeg' }, 20],
    [{ template: (n) => `/images/photo-${n}.jpg`, min: 10_000, max: 900_000, contentType: 'image/jpeg' }, 20],
    [{ template: (n) => `/images/icon-${n}.png`, min: 300, max: 40_000, contentType: 'image/png' }, 12],
    [{ template: (n) => `/css/site-${n}.css`, min: 1_000, max: 90_000, contentType: 'text/css' }, 6],
    [{ template: (n) => `/js/app-${n}.js`, min: 4_000, max: 500_000, contentType: 'application/javascript' }, 8],
    [{ template: (n) => `/video/clip-${n}.mp4`, min: 1_000_000, max: 80_000_000, contentType: 'video/mp4' }, 4],
    [{ template: (n) => `/docs/guide-${n}.pdf`, min: 60_000, max: 6_000_000, contentType: 'application/pdf' }, 5],
    [{ template: (n) => `/pages/article-${n}.html`, min: 5_000, max: 120_000, contentType: 'text/html' }, 25],
  ];
  const fixed: Resource[] = [
    { path: '/index.html', size: 18_422, contentType: 'text/html' },
    { path: '/favicon.ico', size: 1_150, contentType: 'image/x-icon' },
  ];
  return buildResources(rng, count, kinds, fixed);
}

/** Pages of a web site behind Apache or nginx, with the assets they load. */
export function buildSiteResources(rng: Random, count = 800): Resource[] {
  const words = ['shoes', 'garden', 'books', 'music', 'kitchen', 'travel', 'toys', 'sports', 'camera', 'coffee'];
  const kinds: Array<readonly [ResourceKind, number]> = [
    [{ template: (n) => `/products/${1000 + n}`, min: 8_000, max: 90_000, contentType: 'text/html' }, 30],
    [{ template: (n) => `/blog/2014/${PAD2[6 + (n % 2)]}/post-${n}`, min: 6_000, max: 60_000, contentType: 'text/html' }, 20],
    [{ template: (n) => `/category/${words[n % words.length]}?page=${1 + Math.floor(n / words.length)}`, min: 10_000, max: 70_000, contentType: 'text/html' }, 10],
    [{ template: (n) => `/search?q=${words[n % words.length]}+${words[(n * 7 + 3) % words.length]}`, min: 9_000, max: 50_000, contentType: 'text/html' }, 10],
    [{ template: (n) => `/static/img/item-${n}.jpg`, min: 5_000, max: 300_000, contentType: 'image/jpeg' }, 20],
    [{ template: (n) => `/static/js/bundle-${n}.js`, min: 10_000, max: 400_000, contentType: 'application/javascript' }, 5],
    [{ template: (n) => `/static/css/theme-${n}.css`, min: 2_000, max: 60_000, contentType: 'text/css' }, 5],
  ];
  const fixed: Resource[] = [
    { path: '/', size: 24_310, contentType: 'text/html' },
    { path: '/about', size: 9_804, contentType: 'text/html' },
    { path: '/contact', size: 7_211, contentType: 'text/html' },
    { path: '/cart', size: 12_930, contentType: 'text/html' },
    { path: '/favicon.ico', size: 1_150, contentType: 'image/x-icon' },
    { path: '/robots.txt', size: 68, contentType: 'text/plain' },
  ];
  return buildResources(rng, count, kinds, fixed);
}

/** Paths that answer 404: probes, stale links, icons browsers ask for by themselves. */
export function buildMissingPaths(rng: Random): string[] {
  const paths = [
    '/apple-touch-icon.png',
    '/apple-touch-icon-precomposed.png',
    '/wp-login.php',
    '/wp-admin/',
    '/xmlrpc.php',
    '/.env',
    '/phpmyadmin/index.php',
    '/sitemap.xml',
    '/crossdomain.xml',
    '/browserconfig.xml',
  ];
  for (let n = 1; n <= 30; n++) paths.push(`/old/page-${n}.html`);
  for (let n = 1; n <= 20; n++) paths.push(`/images/photo-${5000 + rng.int(0, 4000)}.jpg`);
  return paths;
}

/** Paths that answer 403: private or signed content requested without credentials. */
export function buildForbiddenPaths(): string[] {
  const paths = ['/admin/', '/.git/config', '/server-status', '/private/'];
  for (let n = 1; n <= 10; n++) paths.push(`/private/report-${n}.pdf`);
  for (let n = 1; n <= 6; n++) paths.push(`/secure/video-${n}.mp4`);
  return paths;
}

/** Referrers: mostly none, then search engines, social sites and the site's own pages. */
export function buildReferrers(site: string, resources: readonly Resource[]): WeightedPicker<string> {
  const entries: Array<readonly [string, number]> = [
    ['-', 55],
    ['https://www.google.com/', 14],
    ['https://www.bing.com/', 3],
    ['https://search.yahoo.com/', 1],
    ['https://duckduckgo.com/', 1],
    ['https://www.facebook.com/', 3],
    ['https://t.co/x8Kq2ZbA1c', 2],
  ];
  const pages = resources.filter((r) => r.contentType === 'text/html').slice(0, 20);
  for (const page of pages) entries.push([`${site}${page.path}`, 21 / pages.length]);
  return new WeightedPicker(entries);
}

/** An HTTP status with the weights the brief's reports need (mostly 200, some 304, a few errors). */
export const STATUS_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [200, 820],
  [304, 90],
  [404, 60],
  [403, 15],
  [500, 15],
];

export const METHOD_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['GET', 900],
  ['HEAD', 30],
  ['POST', 40],
  ['OPTIONS', 15],
  ['PUT', 10],
  ['DELETE', 5],
];

/**
 * Modern browser and bot user agents, with real spaces (combined logs keep
 * them; CloudFront standard logs write them with %20). Weighted roughly like
 * 2014 traffic.
 */
export const MODERN_USER_AGENTS: ReadonlyArray<readonly [string, number]> = [
  ['Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36', 16],
  ['Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36', 8],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64; rv:30.0) Gecko/20100101 Firefox/30.0', 8],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko', 7],
  ['Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)', 3],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4', 8],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36', 6],
  ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0', 3],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36', 2],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53', 10],
  ['Mozilla/5.0 (iPad; CPU OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53', 5],
  ['Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.131 Mobile Safari/537.36', 7],
  ['Mozilla/5.0 (Linux; U; Android 4.1.2; en-us; GT-I9300 Build/JZO54K) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30', 4],
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 4],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 2],
  ['curl/7.35.0', 1],
  ['python-requests/2.3.0 CPython/2.7.6 Linux/3.13.0-32-generic', 1],
];

/** What a format chooses about the shared traffic model. */
export interface TrafficSetup {
  /** The agents clients are dealt (already in the format's own escaping). */
  readonly userAgents: WeightedPicker<string>;
  /** Share of clients with an IPv6 address. */
  readonly ipv6Share: number;
  /** The site's resources: a CDN's objects or a web site's pages. */
  readonly buildResources: (rng: Random) => Resource[];
  /** Where referrers point, e.g. https://www.example.com. */
  readonly site: string;
}

/**
 * The state every format's source shares: the PRNG streams, the timeline,
 * and the pools of clients, resources, error paths and referrers, built in
 * one fixed order so that a seed gives the same traffic in every format.
 */
export abstract class TrafficSource implements LineSource {
  abstract readonly header: readonly string[];
  odd = false;
  protected index = 0;
  protected readonly rng: Random;
  protected readonly oddRng: Random;
  protected readonly oddRate: number;
  protected readonly timeline: Timeline;
  protected readonly userAgents: WeightedPicker<string>;
  protected readonly clients: ClientPool;
  protected readonly resources: WeightedPicker<Resource>;
  protected readonly missing: WeightedPicker<string>;
  protected readonly forbidden: WeightedPicker<string>;
  protected readonly referrers: WeightedPicker<string>;

  constructor(options: SourceOptions, setup: TrafficSetup) {
    this.rng = new Random(options.seed, STREAM.lines);
    this.oddRng = new Random(options.seed, STREAM.odd);
    this.oddRate = options.oddRate;
    const pools = new Random(options.seed, STREAM.pools);
    this.timeline = new Timeline(this.rng, pools, Math.max(1, options.lines));
    this.userAgents = setup.userAgents;
    this.clients = new ClientPool(pools, clientCount(options.lines), this.userAgents, setup.ipv6Share);
    const resources = setup.buildResources(pools);
    this.resources = zipfPicker(resources, 2);
    this.missing = zipfPicker(buildMissingPaths(pools), 1);
    this.forbidden = zipfPicker(buildForbiddenPaths(), 1);
    this.referrers = buildReferrers(setup.site, resources);
  }

  get time(): number {
    return this.timeline.epochSeconds;
  }

  /** Whether the line being made is odd (drawn from its own stream, so the regular lines never depend on oddRate). */
  protected drawOdd(): boolean {
    this.odd = this.oddRate > 0 && this.oddRng.next() < this.oddRate;
    return this.odd;
  }

  abstract next(): string;
}
