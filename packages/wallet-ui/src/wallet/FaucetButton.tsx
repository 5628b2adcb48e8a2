import { useState } from 'preact/hooks';
import { useServices } from '../app/services.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { useAction } from '../ui/use-async.js';

/** The dev network's faucet (weft up only): test coins minted to this wallet's receive key. */
export function FaucetButton() {
  const { wallet } = useServices();
  const action = useAction();
  const [done, setDone] = useState<string | undefined>();
  return (
    <div class="faucet">
      <button
        type="button"
        class="secondary"
        disabled={action.running}
        onClick={() =>
          action.run(async () => {
            const { block } = await wallet.requestFaucet(1000n);
            setDone(`1,000 FBC minted in block ${block}; it shows as spendable once verified.`);
          })
        }
      >
        {action.running ? 'Minting…' : 'Get 1,000 test FBC (dev faucet)'}
      </button>
      {done ? <span role="status"> {done}</span> : null}
      <ErrorBox error={action.error} />
    </div>
  );
}
