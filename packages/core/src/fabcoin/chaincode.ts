import type { RWSet } from '../tx/rwset.js';
import type { StateView } from '../validate/state.js';
import { decodeCoin } from './coin.js';
import type { FabcoinRequest } from './request.js';
import {
  checkBalance,
  checkOutputs,
  checkSpendInputs,
  FabcoinError,
  fabcoinRWSet,
} from './rules.js';

/**
 * The Fabcoin chaincode as an endorser runs it: GetState each input (the
 * read set records its version), DelState each input, PutState each output.
 * It refuses requests that VSCC would reject on rules it can see (amounts,
 * labels, balance, missing coins); owner and central-bank signatures are
 * left to VSCC, which every peer runs.
 */
export async function simulateFabcoin(options: {
  txid: Uint8Array;
  request: FabcoinRequest;
  state: Pick<StateView, 'get'>;
}): Promise<RWSet> {
  const { txid, request, state } = options;
  checkOutputs(request.outputs);
  if (request.type === 'mint') return fabcoinRWSet(txid, request, []);
  checkSpendInputs(request.inputs);
  const found = await Promise.all(request.inputs.map((key) => state.get(key)));
  const coins = found.map((v, i) => {
    if (!v)
      throw new FabcoinError('FABCOIN_NO_SUCH_COIN', `input ${request.inputs[i]} does not exist`);
    return decodeCoin(v.value);
  });
  checkBalance(coins, request.outputs);
  return fabcoinRWSet(
    txid,
    request,
    found.map((v) => v!.version),
  );
}
