import { generate } from 'lean-qr';
import { toSvgDataURL } from 'lean-qr/extras/svg';
import { useMemo } from 'preact/hooks';

/** `text` as a QR code (an SVG image, crisp at any size). */
export function QrCode({ text, label }: { text: string; label: string }) {
  const src = useMemo(
    () => toSvgDataURL(generate(text), { on: '#111', off: '#fff', pad: 2 }),
    [text],
  );
  return <img class="qr" src={src} alt={label} width={220} height={220} />;
}
