import { toHex, txCodeName } from '@weft/core';
import type { SpendResult } from '@weft/light';
import { formatAmount } from '../ui/format.js';
import { Hex } from '../ui/Hex.js';
import { BlockLink, TxLink } from '../ui/links.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { reasonInWords } from '../ui/tx-codes.js';
import type { SpendPreview } from './spend-preview.js';

/** The spend as it will be signed: what is paid, from which coins, and the change. */
export function SpendReview({ preview, signer }: { preview: SpendPreview; signer?: string }) {
  return (
    <div class="review" data-testid="spend-review">
      <h3>Review the payment</h3>
      <dl class="facts">
        <dt>Pay</dt>
        <dd class="strong">
          {formatAmount(preview.amount)} {preview.label}
        </dd>
        <dt>To owner key</dt>
        <dd>
          <code class="wrap">{preview.to}</code>
        </dd>
        <dt>Fee</dt>
        <dd>None (Fabcoin spends carry no fee)</dd>
        <dt>Signed by</dt>
        <dd>{signer ?? 'your enrolled client key'} and the owner key of each coin spent</dd>
      </dl>
      <div class="table-wrap">
        <table>
          <caption>Coins spent (inputs)</caption>
          <tbody>
            {preview.inputs.map((i) => (
              <tr key={i.key}>
                <td>
                  <Hex value={i.key} />
                </td>
                <td class="num">
                  {formatAmount(i.amount)} {preview.label}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <table>
          <caption>New coins (outputs)</caption>
          <tbody>
            <tr>
              <td>to the recipient</td>
              <td class="num">
                {formatAmount(preview.amount)} {preview.label}
              </td>
            </tr>
            {preview.change > 0n ? (
              <tr>
                <td>change, to a new key of this wallet</td>
                <td class="num">
                  {formatAmount(preview.change)} {preview.label}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Where a sent payment stands, by the light client's verdict (never the gateway's word). */
export function SpendOutcome({ result }: { result: SpendResult }) {
  const txid = toHex(result.txid);
  const v = result.verdict;
  const block = 'block' in v ? v.block : undefined;
  return (
    <div class="outcome" role="status" data-testid="spend-outcome" data-status={result.status}>
      <p>
        <StatusBadge status={result.status} />{' '}
        {result.status === 'valid'
          ? 'Payment verified: peers satisfying the policy attest it valid.'
          : v.status === 'invalid'
            ? 'The network judged the payment invalid; your coins were released.'
            : 'Still awaiting a verdict: it stays in History and is checked again as new blocks are verified.'}
      </p>
      {v.status === 'invalid' ? (
        <p data-testid="spend-reason">
          {reasonInWords(txCodeName(v.code))} <code>{txCodeName(v.code)}</code>
        </p>
      ) : null}
      <p>
        Transaction <TxLink id={txid} />
        {block !== undefined ? (
          <>
            {' '}
            in block <BlockLink n={block} />
          </>
        ) : null}
      </p>
      {result.followError ? <p class="hint">({result.followError})</p> : null}
    </div>
  );
}
