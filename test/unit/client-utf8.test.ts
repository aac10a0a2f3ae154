import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeStrictUtf8 } from '../../src/api/responses';

/** The reference decodeStrictUtf8 must match: WHATWG UTF-8 decoding that fails on invalid input. */
const reference = new TextDecoder('utf-8', { fatal: true });

function referenceDecode(bytes: Buffer): string | undefined {
  try {
    return reference.decode(bytes);
  } catch {
    return undefined;
  }
}

describe('decodeStrictUtf8', () => {
  const cases: readonly { name: string; bytes: number[] }[] = [
    { name: 'empty body', bytes: [] },
    { name: 'ASCII JSON', bytes: [...Buffer.from('{"a":1}')] },
    { name: 'two- to four-byte characters', bytes: [...Buffer.from('é€😀')] },
    { name: 'byte order mark only', bytes: [0xef, 0xbb, 0xbf] },
    { name: 'byte order mark then JSON', bytes: [0xef, 0xbb, 0xbf, ...Buffer.from('{}')] },
    { name: 'two byte order marks', bytes: [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf] },
    { name: 'truncated byte order mark', bytes: [0xef, 0xbb] },
    { name: 'lone continuation byte', bytes: [0x80] },
    { name: 'byte 0xff', bytes: [0x7b, 0xff, 0x7d] },
    { name: 'truncated two-byte sequence', bytes: [0xc3] },
    { name: 'overlong slash', bytes: [0xc0, 0xaf] },
    { name: 'overlong three-byte form', bytes: [0xe0, 0x80, 0xaf] },
    { name: 'encoded surrogate', bytes: [0xed, 0xa0, 0x80] },
    { name: 'code point above U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80] },
    { name: 'five-byte form', bytes: [0xf8, 0x88, 0x80, 0x80, 0x80] },
  ];

  for (const { name, bytes } of cases) {
    test(name, () => {
      const body = Buffer.from(bytes);
      assert.equal(decodeStrictUtf8(body), referenceDecode(body));
    });
  }

  test('random bytes match TextDecoder', () => {
    // A fixed-seed linear congruential generator, so a failure repeats with the same input.
    let seed = 0x2545f491;
    const nextByte = (): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed >>> 24;
    };
    // Valid text with bytes replaced at random, so most inputs are nearly valid UTF-8.
    const base = Buffer.from('{"name":"Grüße 😀 €","bom":"\ufeff"}');
    for (let round = 0; round < 2000; round++) {
      const body = Buffer.from(base);
      const changes = 1 + (nextByte() % 3);
      for (let change = 0; change < changes; change++) {
        body[nextByte() % body.length] = nextByte();
      }
      assert.equal(decodeStrictUtf8(body), referenceDecode(body), `input ${body.toString('hex')}`);
    }
  });
});
