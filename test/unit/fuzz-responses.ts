/**
 * Generated hostile HTTP responses for the response fuzz test: each {@link FuzzCase} writes one response
 * (or none) to a raw `node:http` response object. Generation is driven by a seeded PRNG so that a failing
 * run can be repeated with the printed seed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A deterministic PRNG (mulberry32) returning numbers in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

/** Body sizes of the large cases: above the client's 10 MB cap. */
export const HUGE_BODY_BYTES = 20 * 1024 * 1024;

/** The kinds of generated responses; `slow` kinds take until the client's timeout. */
export type FuzzKind =
  | 'mutated'
  | 'randomJson'
  | 'hugeString'
  | 'deepNesting'
  | 'invalidUtf8'
  | 'truncated'
  | 'wrongContentType'
  | 'randomStatus'
  | 'emptyBody'
  | 'droppedMidBody'
  | 'shortContentLength'
  | 'hugeDeclared'
  | 'hugeChunked'
  | 'slowDrip'
  | 'noResponse';

export interface FuzzCase {
  readonly index: number;
  readonly kind: FuzzKind;
  /** The client operation the case is sent to. */
  readonly operation: string;
  /** Writes the response. */
  readonly respond: (request: IncomingMessage, response: ServerResponse, stats: ServerStats) => void;
}

/** What the server observed, to prove the client stopped reading a huge body early. */
export interface ServerStats {
  hugeBytesWritten: number;
  hugeBodiesFinished: number;
}

const JSON_TYPE = 'application/json';

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function integer(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Returns a random JSON value of at most `depth` levels. */
export function randomJson(random: Random, depth: number): unknown {
  const roll = random();
  if (depth <= 0 || roll < 0.4) {
    return pick(random, [
      null,
      true,
      false,
      0,
      -1,
      1e308,
      -0,
      integer(random, -1e9, 1e9),
      random(),
      '',
      'x'.repeat(integer(random, 1, 40)),
      '\u0000\u202e\ud83d\ude00',
      '"quoted"',
      Number.MAX_SAFE_INTEGER + 2,
    ]);
  }
  if (roll < 0.7) {
    return Array.from({ length: integer(random, 0, 5) }, () => randomJson(random, depth - 1));
  }
  const object: Record<string, unknown> = {};
  for (let i = integer(random, 0, 5); i > 0; i--) {
    object[pick(random, ['id', 'user_name', 'cluster_id', 'state', 'items', 'clusters', 'content', '__proto__', 'constructor', 'x'])] =
      randomJson(random, depth - 1);
  }
  return object;
}

/** Replaces, deletes or adds one member somewhere in a copy of `value`. */
export function mutate(random: Random, value: unknown): unknown {
  const copy = structuredClone(value) as unknown;
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const visit = (node: unknown): void => {
    if (typeof node === 'object' && node !== null) {
      containers.push(node as Record<string, unknown>);
      Object.values(node).forEach(visit);
    }
  };
  visit(copy);
  if (containers.length === 0) {
    return randomJson(random, 2);
  }
  const target = pick(random, containers);
  const keys = Object.keys(target);
  const key = keys.length > 0 && random() < 0.85 ? pick(random, keys) : 'extra_member';
  if (random() < 0.3 && !Array.isArray(target)) {
    delete target[key];
  } else {
    (target as Record<string, unknown>)[key] = randomJson(random, 2);
  }
  return copy;
}

interface Generator {
  readonly kind: FuzzKind;
  readonly weight: number;
  readonly make: (random: Random, sample: unknown) => FuzzCase['respond'];
}

const sendJsonText =
  (text: string | Buffer, status = 200, contentType = JSON_TYPE): FuzzCase['respond'] =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(text);
  };

const GENERATORS: readonly Generator[] = [
  { kind: 'mutated', weight: 30, make: (random, sample) => sendJsonText(JSON.stringify(mutate(random, sample))) },
  { kind: 'randomJson', weight: 10, make: (random) => sendJsonText(JSON.stringify(randomJson(random, 4)) ?? 'null') },
  {
    kind: 'hugeString',
    weight: 3,
    make: (random, sample) => {
      const copy = mutate(random, sample);
      const huge = 'A'.repeat(integer(random, 1, 4) * 1024 * 1024);
      const body = typeof copy === 'object' && copy !== null ? { ...copy, user_name: huge, cluster_name: huge } : huge;
      return sendJsonText(JSON.stringify(body));
    },
  },
  {
    kind: 'deepNesting',
    weight: 3,
    make: (random) => {
      const depth = integer(random, 1000, 100_000);
      const balanced = random() < 0.5;
      return sendJsonText('['.repeat(depth) + (balanced ? ']'.repeat(depth) : ''));
    },
  },
  {
    kind: 'invalidUtf8',
    weight: 6,
    make: (random, sample) => {
      const text = Buffer.from(JSON.stringify(sample));
      const bad = pick(random, [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]);
      const at = integer(random, 0, text.length);
      return sendJsonText(Buffer.concat([text.subarray(0, at), Buffer.from(bad), text.subarray(at)]));
    },
  },
  {
    kind: 'truncated',
    weight: 8,
    make: (random, sample) => {
      const text = JSON.stringify(sample);
      return sendJsonText(text.slice(0, integer(random, 0, Math.max(0, text.length - 1))));
    },
  },
  {
    kind: 'wrongContentType',
    weight: 6,
    make: (random, sample) => {
      const contentType = pick(random, ['text/html', 'text/plain', 'application/xml', 'application/json; charset=latin1', '', 'application/jsonp', 'application/problem+json']);
      const body = random() < 0.5 ? JSON.stringify(sample) : '<html><body>Sign in to the proxy</body></html>';
      return (_request, response) => {
        response.writeHead(200, contentType === '' ? {} : { 'content-type': contentType });
        response.end(body);
      };
    },
  },
  {
    kind: 'randomStatus',
    weight: 10,
    make: (random, sample) => {
      const status = pick(random, [integer(random, 200, 599), 201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 409, 418, 429, 500, 502, 503, 504]);
      const body = pick(random, [JSON.stringify(sample), JSON.stringify(randomJson(random, 3)), '', '{"error_code":', '{"error_code":7,"message":[]}']);
      const headers: Record<string, string> = { 'content-type': JSON_TYPE };
      if (random() < 0.3) {
        headers['retry-after'] = pick(random, ['0', '1', '-5', 'soon', '99999999', 'Wed, 21 Oct 2015 07:28:00 GMT']);
      }
      if (random() < 0.3) {
        headers['www-authenticate'] = pick(random, ['Bearer', 'Bearer error="insufficient_scope", scope=', 'Bearer ====', 'Basic realm="x"']);
      }
      return (_request, response) => {
        response.writeHead(status, headers);
        response.end(status === 204 || status === 304 ? undefined : body);
      };
    },
  },
  { kind: 'emptyBody', weight: 3, make: () => sendJsonText('') },
  {
    kind: 'droppedMidBody',
    weight: 4,
    make: (random, sample) => (_request, response) => {
      const text = JSON.stringify(sample);
      response.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': String(text.length + 100) });
      response.write(text.slice(0, integer(random, 0, text.length)));
      setTimeout(() => response.destroy(), integer(random, 0, 20));
    },
  },
  {
    kind: 'shortContentLength',
    weight: 3,
    make: (random, sample) => (_request, response) => {
      const text = JSON.stringify(sample);
      // Declares the full length, sends a part of it, then ends the socket.
      response.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': String(text.length) });
      response.write(text.slice(0, integer(random, 0, Math.max(0, text.length - 1))));
      response.socket?.end();
    },
  },
];

/** Writes a 20 MB JSON-looking body, with or without `content-length`, counting the bytes written. */
function hugeBody(declared: boolean): FuzzCase['respond'] {
  return (_request, response, stats) => {
    response.writeHead(200, {
      'content-type': JSON_TYPE,
      ...(declared ? { 'content-length': String(HUGE_BODY_BYTES) } : {}),
    });
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    chunk[0] = 0x22;
    let written = 0;
    const writeMore = (): void => {
      while (written < HUGE_BODY_BYTES) {
        written += chunk.length;
        stats.hugeBytesWritten += chunk.length;
        if (!response.write(chunk)) {
          response.once('drain', writeMore);
          return;
        }
      }
      stats.hugeBodiesFinished++;
      response.end();
    };
    response.on('close', () => response.removeAllListeners('drain'));
    writeMore();
  };
}

/** Sends the headers and then one byte every 50 ms, forever. */
const slowDrip: FuzzCase['respond'] = (_request, response) => {
  response.writeHead(200, { 'content-type': JSON_TYPE });
  response.write('{');
  const timer = setInterval(() => response.write(' '), 50);
  response.on('close', () => clearInterval(timer));
};

/** Reads the request and never responds. */
const noResponse: FuzzCase['respond'] = () => undefined;

/** Generates `count` fast cases, then the huge and slow ones. */
export function generateCases(
  random: Random,
  samples: Readonly<Record<string, unknown>>,
  counts: { readonly fast: number; readonly huge: number; readonly slow: number },
): FuzzCase[] {
  const operations = Object.keys(samples);
  const cases: FuzzCase[] = [];
  const totalWeight = GENERATORS.reduce((sum, generator) => sum + generator.weight, 0);
  for (let index = 0; index < counts.fast; index++) {
    let roll = random() * totalWeight;
    const generator = GENERATORS.find((candidate) => (roll -= candidate.weight) < 0) ?? (GENERATORS[0] as Generator);
    const operation = pick(random, operations);
    cases.push({ index, kind: generator.kind, operation, respond: generator.make(random, samples[operation]) });
  }
  for (let i = 0; i < counts.huge; i++) {
    const declared = i % 2 === 0;
    const kind = declared ? 'hugeDeclared' : 'hugeChunked';
    cases.push({ index: cases.length, kind, operation: pick(random, operations), respond: hugeBody(declared) });
  }
  for (let i = 0; i < counts.slow; i++) {
    const drip = i % 2 === 0;
    const respond = drip ? slowDrip : noResponse;
    cases.push({ index: cases.length, kind: drip ? 'slowDrip' : 'noResponse', operation: pick(random, operations), respond });
  }
  return cases;
}
