import { decode, encode, equalBytes, utf8, WeftError } from '@weft/core';
import { after, assert, before, describe, it, rejectsWithCode } from '@weft/test/harness';
import {
  callProtocol,
  NetError,
  type NodeHost,
  serveProtocol,
  streamProtocol,
} from '../../src/net/index.js';
import {
  eventually,
  HostPool,
  LISTEN_BOTH,
  membershipOf,
  signal,
  sleep,
  tcpAddr,
  testPeer,
  within,
  wsAddr,
} from '../net/fixtures.js';

const SEED = 'net-rpc-test';
const ECHO = '/weft/test/echo/1.0.0';
const WHOAMI = '/weft/test/whoami/1.0.0';
const COUNT = '/weft/test/count/1.0.0';
const FOREVER = '/weft/test/forever/1.0.0';
const FAIL = '/weft/test/fail/1.0.0';
const SILENT = '/weft/test/silent/1.0.0';
const SLOW_SERVER = '/weft/test/slow-server/1.0.0';
const BIG = '/weft/test/big/1.0.0';

const CALL = { maxResponseBytes: 1 << 16, timeoutMs: 3000 };

describe('net: request/response over real libp2p hosts', () => {
  const pool = new HostPool();
  let server: NodeHost;
  let member: NodeHost;
  let outsider: NodeHost;
  const foreverStopped = signal<boolean>();
  const silentAborted = signal();

  before(async () => {
    const [s, m, o] = await Promise.all(
      ['server', 'member', 'outsider'].map((n) => testPeer(SEED, n)),
    );
    const members = membershipOf(s!, m!);
    server = await pool.start(s!, members, { listen: LISTEN_BOTH });
    member = await pool.start(m!, members, { listen: { tcp: LISTEN_BOTH.tcp } });
    // The outsider's own gate must let it dial the server; the server does not count it a member.
    outsider = await pool.start(o!, membershipOf(s!));

    const base = { maxRequestBytes: 1024, timeoutMs: 3000 } as const;
    await serveProtocol(server, ECHO, { ...base, access: 'members', handler: (req) => req });
    await serveProtocol(server, WHOAMI, {
      ...base,
      access: 'public',
      handler: (_req, ctx) =>
        encode({ member: ctx.member, key: ctx.publicKey ?? null, peer: ctx.peer.toString() }),
    });
    await serveProtocol(server, COUNT, {
      ...base,
      access: 'members',
      handler: async function* (req) {
        for (let i = 0; i < req[0]!; i++) yield Uint8Array.of(i);
      },
    });
    await serveProtocol(server, FOREVER, {
      ...base,
      access: 'members',
      handler: async function* (_req, ctx) {
        try {
          for (let i = 0; ; i++) {
            yield utf8(`frame ${i}`);
            await sleep(1);
          }
        } finally {
          foreverStopped.resolve(ctx.signal.aborted);
        }
      },
    });
    await serveProtocol(server, FAIL, {
      ...base,
      access: 'public',
      handler: (req) => {
        if (req[0] === 1) throw new WeftError('LEDGER_NOT_FOUND', 'no block 7');
        if (req[0] === 2)
          throw Object.assign(new Error('open /secret/path failed'), { code: 'ENOENT' });
        throw new Error('boom at /secret/path');
      },
    });
    await serveProtocol(server, SILENT, {
      ...base,
      timeoutMs: 10_000,
      access: 'members',
      handler: (_req, ctx) =>
        new Promise<Uint8Array>(() => {
          ctx.signal.addEventListener('abort', () => silentAborted.resolve());
        }),
    });
    await serveProtocol(server, SLOW_SERVER, {
      ...base,
      timeoutMs: 200,
      access: 'members',
      handler: () => new Promise<Uint8Array>(() => {}),
    });
    await serveProtocol(server, BIG, {
      ...base,
      access: 'members',
      handler: async function* () {
        for (let i = 0; i < 96; i++) yield new Uint8Array(64 * 1024).fill(i);
      },
    });
  });

  after(() => pool.stopAll());

  it('member to member: TCP connection and a roundtrip that knows the caller', async () => {
    const reply = await callProtocol(member, tcpAddr(server), ECHO, utf8('hello'), CALL);
    assert.deepEqual(reply, utf8('hello'));
    const who = decode(await callProtocol(member, tcpAddr(server), WHOAMI, utf8(''), CALL), {
      maxBytes: 1024,
    }) as { member: boolean; key: Uint8Array; peer: string };
    assert.isTrue(who.member);
    assert.equal(who.peer, member.peerId.toString());
    assert.isTrue(equalBytes(who.key, (await testPeer(SEED, 'member')).publicKey));
    assert.lengthOf(server.getConnections(member.peerId), 1);
  });

  it('refuses a non-member on TCP', async () => {
    await rejectsWithCode(
      () => callProtocol(outsider, tcpAddr(server), WHOAMI, utf8(''), CALL),
      'NET_DIAL_FAILED',
    );
    await eventually(() => server.getConnections(outsider.peerId).length === 0, 'no connection');
  });

  it('a non-member on WebSocket may call public protocols only', async () => {
    const who = decode(await callProtocol(outsider, wsAddr(server), WHOAMI, utf8(''), CALL), {
      maxBytes: 1024,
    }) as { member: boolean };
    assert.isFalse(who.member);
    assert.isTrue(server.services.access.isLightClient(outsider.peerId));
    let caught: unknown;
    try {
      await callProtocol(outsider, wsAddr(server), ECHO, utf8('x'), CALL);
    } catch (err) {
      caught = err;
    }
    assert.instanceOf(caught, NetError);
    assert.equal((caught as NetError).code, 'NET_FORBIDDEN');
    assert.isTrue((caught as NetError).remote);
    // Refusal is per protocol: the light client keeps its connection for public ones.
    await callProtocol(outsider, wsAddr(server), WHOAMI, utf8(''), CALL);
  });

  it('streams N frames in order, then ends', async () => {
    const got: number[] = [];
    for await (const f of streamProtocol(member, tcpAddr(server), COUNT, Uint8Array.of(50), CALL)) {
      got.push(f[0]!);
    }
    assert.deepEqual(
      got,
      Array.from({ length: 50 }, (_, i) => i),
    );
    const none: Uint8Array[] = [];
    for await (const f of streamProtocol(member, tcpAddr(server), COUNT, Uint8Array.of(0), CALL)) {
      none.push(f);
    }
    assert.lengthOf(none, 0);
  });

  it('a client that stops early aborts the stream and the handler', async () => {
    const got: string[] = [];
    for await (const f of streamProtocol(member, tcpAddr(server), FOREVER, utf8(''), CALL)) {
      got.push(new TextDecoder().decode(f));
      if (got.length === 3) break;
    }
    assert.deepEqual(got, ['frame 0', 'frame 1', 'frame 2']);
    assert.isTrue(await within(foreverStopped.promise, 2000, 'the handler stopping'));
    // The connection survives a cancelled stream.
    assert.deepEqual(
      await callProtocol(member, tcpAddr(server), ECHO, utf8('ok'), CALL),
      utf8('ok'),
    );
  });

  it('handler errors: a coded error keeps its code, anything else is INTERNAL', async () => {
    const call = (b: number) =>
      callProtocol(outsider, wsAddr(server), FAIL, Uint8Array.of(b), CALL);
    const errs: NetError[] = [];
    for (const b of [1, 2, 3]) {
      try {
        await call(b);
        assert.fail('expected an error');
      } catch (err) {
        assert.instanceOf(err, NetError);
        errs.push(err as NetError);
      }
    }
    assert.deepEqual(
      errs.map((e) => [e.code, e.message, e.remote]),
      [
        ['LEDGER_NOT_FOUND', 'no block 7', true],
        ['ENOENT', 'ENOENT', true],
        ['INTERNAL', 'internal error', true],
      ],
    );
  });

  it('a handler that never answers: NET_TIMEOUT at the client, and the handler is told', async () => {
    const start = Date.now();
    await rejectsWithCode(
      () => callProtocol(member, tcpAddr(server), SILENT, utf8(''), { ...CALL, timeoutMs: 300 }),
      'NET_TIMEOUT',
    );
    assert.isBelow(Date.now() - start, 2000);
    await within(silentAborted.promise, 2000, 'the handler seeing the abort');
  });

  it("the server's own handler deadline answers NET_TIMEOUT", async () => {
    let caught: unknown;
    try {
      await callProtocol(member, tcpAddr(server), SLOW_SERVER, utf8(''), CALL);
    } catch (err) {
      caught = err;
    }
    assert.equal((caught as NetError).code, 'NET_TIMEOUT');
    assert.isTrue((caught as NetError).remote);
  });

  it('a response above maxResponseBytes is NET_TOO_LARGE at the client', async () => {
    await rejectsWithCode(
      () =>
        callProtocol(member, tcpAddr(server), ECHO, new Uint8Array(100), {
          ...CALL,
          maxResponseBytes: 99,
        }),
      'NET_TOO_LARGE',
    );
  });

  it('a slow reader still gets every frame of a 6 MiB stream (backpressure)', async () => {
    let n = 0;
    const frames = streamProtocol(member, tcpAddr(server), BIG, utf8(''), {
      ...CALL,
      highWaterBytes: 128 * 1024,
    });
    for await (const f of frames) {
      assert.equal(f.length, 64 * 1024);
      assert.equal(f[0], n);
      assert.equal(f[f.length - 1], n);
      n++;
      if (n % 16 === 0) await sleep(20);
    }
    assert.equal(n, 96);
  });

  it('a caller signal cancels a call', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await rejectsWithCode(
      () =>
        callProtocol(member, tcpAddr(server), SILENT, utf8(''), {
          ...CALL,
          signal: controller.signal,
        }),
      'NET_ABORTED',
    );
  });
});
