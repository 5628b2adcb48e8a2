import { after, describe, it, rejectsWithCode } from '@weft/test/harness';
import type { LoadedMember } from '../../src/material/member.js';
import { devFaucet } from '../../src/up/faucet.js';

describe("weft up's dev faucet refuses what it would not mint, before any network call", () => {
  // No gateway is reachable here: a request that got past the checks would fail to connect instead.
  const faucet = devFaucet({
    channel: 'weft',
    gateways: [],
    bank: {} as LoadedMember,
    max: 5000n,
  });
  after(() => faucet.close());

  it('needs a 64-hex owner key', async () => {
    await rejectsWithCode(() => faucet.mint({ owner: 'zz' }), 'FAUCET_BAD_OWNER');
    await rejectsWithCode(() => faucet.mint(null), 'FAUCET_BAD_OWNER');
  });

  it('takes whole positive amounts as strings, up to its maximum', async () => {
    const owner = 'ab'.repeat(32);
    for (const amount of [5, '0', '-1', '1.5', '0x10', `${2n ** 70n}`]) {
      await rejectsWithCode(() => faucet.mint({ owner, amount }), 'FAUCET_BAD_AMOUNT');
    }
    await rejectsWithCode(() => faucet.mint({ owner, amount: '5001' }), 'FAUCET_BAD_AMOUNT');
  });
});
