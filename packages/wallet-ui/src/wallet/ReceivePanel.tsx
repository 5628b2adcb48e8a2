import { useEffect } from 'preact/hooks';
import { useServices } from '../app/services.js';
import { useObservable } from '../state/observable.js';
import { CopyButton } from '../ui/CopyButton.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { QrCode } from '../ui/QrCode.js';
import { useAction } from '../ui/use-async.js';

/** The owner key to be paid on, to copy or scan. */
export function ReceivePanel() {
  const { wallet } = useServices();
  const open = useObservable(wallet.state).open!;
  const action = useAction();
  useEffect(() => {
    void action.run(() => wallet.ensureReceiveKey());
  }, [open.name]);
  const receive = open.receive;
  return (
    <>
      <h2>Receive</h2>
      <p>
        Give the payer this owner key. Coins paid to it appear under Balances once they are in a
        verified block, and become spendable when peers attest them valid.
      </p>
      <ErrorBox error={action.error} />
      {receive ? (
        <div class="receive">
          <QrCode text={receive.ownerKey} label={`QR code of the owner key ${receive.ownerKey}`} />
          <div class="stack">
            <label for="owner-key">Owner key #{receive.index}</label>
            <output id="owner-key" class="key" data-testid="owner-key">
              {receive.ownerKey}
            </output>
            <div class="row">
              <CopyButton text={receive.ownerKey} label="Copy owner key" />
              <button
                type="button"
                class="secondary small"
                disabled={action.running}
                onClick={() => action.run(() => wallet.newReceiveKey())}
              >
                Use a new key
              </button>
            </div>
          </div>
        </div>
      ) : (
        <p aria-live="polite">Deriving your key…</p>
      )}
    </>
  );
}
