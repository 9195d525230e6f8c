/**
 * A QR code drawn on a <canvas> with the `qrcode` package: no data: or blob: URL and no inline
 * script, so it works under the strict CSP (img-src 'self').
 */
import { useEffect, useRef } from 'react';
import QRCode from 'qrcode';

export function QrCode({ text, label, size = 280, testId }: { text: string; label: string; size?: number; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    QRCode.toCanvas(canvas, text, { width: size, margin: 4, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } }).catch(() => undefined);
  }, [text, size]);
  return <canvas ref={ref} className="cwc-qr" role="img" aria-label={label} width={size} height={size} data-testid={testId} data-qr-text={text} />;
}
