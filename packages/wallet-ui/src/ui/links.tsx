import { routeHref } from '../app/route.js';
import { Hex } from './Hex.js';

/** "#12" linking to the block page, or a dash when there is no block. */
export function BlockLink({ n }: { n: number | undefined }) {
  return n === undefined ? <>–</> : <a href={routeHref({ page: 'block', number: n })}>#{n}</a>;
}

/** A transaction id (or a coin key `txid.j`), shortened, linking to its transaction page. */
export function TxLink({ id }: { id: string }) {
  return (
    <a href={routeHref({ page: 'tx', txid: id.split('.')[0]! })}>
      <Hex value={id} />
    </a>
  );
}
