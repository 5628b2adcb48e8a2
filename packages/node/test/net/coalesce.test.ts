// Streamed responses put the DATA frames a handler has ready at once into one
// write (rpc-respond.ts pump), over real libp2p hosts: the frames still arrive
// complete and in order, in far fewer transport messages than frames, and an
// item the handler is slow to follow is sent without waiting for the next.
import type { Stream } from '@libp2p/interface';
import {
  decodeFrame,
  encodeLengthPrefixed,
  type Frame,
  LengthPrefixedDecoder,
  utf8,
  WeftError,
} from '@weft/core';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import { type NodeHost, serveProtocol, streamProtocol } from '../../src/net/index.js';
import { HostPool, membershipOf, signal, tcpAddr, testPeer } from './fixtures.js';

const SEED = 'net-coalesce-test';
const MANY = '/weft/test/many/1.0.0';
const THEN_FAIL = '/weft/test/then-fail/1.0.0';
const SLOW_SECOND = '/weft/test/slow-second/1.0.0';
const CALL = { maxResponseBytes: 1024, timeoutMs: 5000 };
const N = 3000;

const item = (i: number) => Uint8Array.of(i >> 8, i & 0xff);
const numberOf = (b: Uint8Array) => (b[0]! << 8) | b[1]!;
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Every frame of a raw protocol stream, and how many transport messages carried them. */
async function readRaw(from: NodeHost, to: NodeHost, protocol: string) {
  const stream: Stream = await from.dialProtocol(tcpAddr(to), protocol, {
    signal: AbortSignal.timeout(CALL.timeoutMs),
  });
  stream.send(encodeLengthPrefixed(new Uint8Array(0)));
  await stream.close({ signal: AbortSignal.timeout(CALL.timeoutMs) });
  const decoder = new LengthPrefixedDecoder({ maxMessageBytes: 1 << 20 });
  const frames: Frame[] = [];
  let messages = 0;
  for await (const chunk of stream) {
    messages++;
    const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray();
    for (const msg of decoder.push(bytes)) frames.push(decodeFrame(msg, { maxBytes: 1 << 20 }));
  }
  decoder.finish();
  return { frames, messages };
}

describe('net: streamed responses coalesce ready frames', () => {
  const pool = new HostPool();
  let server: NodeHost;
  let client: NodeHost;
  const gate = signal();

  before(async () => {
    const [s, c] = await Promise.all(['server', 'client'].map((n) => testPeer(SEED, n)));
    const members = membershipOf(s!, c!);
    server = await pool.start(s!, members, { listen: { tcp: '/ip4/127.0.0.1/tcp/0' } });
    client = await pool.start(c!, members);
    const base = { maxRequestBytes: 64, timeoutMs: 5000, access: 'members' } as const;
    await serveProtocol(server, MANY, {
      ...base,
      handler: async function* () {
        for (let i = 0; i < N; i++) yield item(i);
      },
    });
    await serveProtocol(server, THEN_FAIL, {
      ...base,
      handler: async function* () {
        for (let i = 0; i < 100; i++) yield item(i);
        throw new WeftError('LEDGER_CORRUPT', 'block 100 is damaged');
      },
    });
    await serveProtocol(server, SLOW_SECOND, {
      ...base,
      handler: async function* () {
        yield utf8('first');
        await gate.promise;
        yield utf8('second');
      },
    });
  });

  after(() => pool.stopAll());

  it('many small ready items arrive complete and in order', async () => {
    const got: number[] = [];
    for await (const f of streamProtocol(client, tcpAddr(server), MANY, new Uint8Array(0), CALL)) {
      got.push(numberOf(f));
    }
    assert.deepEqual(got, upTo(N));
  });

  it('ready frames share transport messages: far fewer messages than frames', async () => {
    const { frames, messages } = await readRaw(client, server, MANY);
    assert.lengthOf(frames, N + 1);
    assert.deepEqual(frames.at(-1), { kind: 'end' });
    assert.deepEqual(
      frames.slice(0, N).map((f) => (f.kind === 'data' ? numberOf(f.payload) : -1)),
      upTo(N),
    );
    // One write per frame would be N + 1 messages; 3000 frames of 5 bytes fit one batch.
    assert.isBelow(messages, N / 100, `${messages} messages`);
  });

  it('frames ready before an error arrive before its ERROR frame', async () => {
    const got: number[] = [];
    await rejectsWithCode(async () => {
      const s = streamProtocol(client, tcpAddr(server), THEN_FAIL, new Uint8Array(0), CALL);
      for await (const f of s) got.push(numberOf(f));
    }, 'LEDGER_CORRUPT');
    assert.deepEqual(got, upTo(100));
  });

  it('an item the handler is slow to follow is sent at once, not held for the next', async () => {
    const got: string[] = [];
    const s = streamProtocol(client, tcpAddr(server), SLOW_SECOND, new Uint8Array(0), CALL);
    for await (const f of s) {
      got.push(new TextDecoder().decode(f));
      // The handler yields 'second' only after this: a held-back 'first' would time out the call.
      if (got.length === 1) gate.resolve();
    }
    assert.deepEqual(got, ['first', 'second']);
  });
});
