/** Camera QR scan of the enrolment code (BarcodeDetector where present, else jsqr). Lazy-loaded. */
import { useEffect, useRef, useState } from 'react';
import jsQR from 'jsqr';

interface DetectorLike {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}

export default function QrScanner({ onCode, unavailableText }: { onCode: (code: string) => void; unavailableText: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const done = useRef(onCode);
  done.current = onCode;

  useEffect(() => {
    let stream: MediaStream | null = null;
    let frame = 0;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const Ctor = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => DetectorLike }).BarcodeDetector;
    const detector = Ctor ? new Ctor({ formats: ['qr_code'] }) : null;
    const tick = async () => {
      const v = video.current;
      if (stopped || !v) return;
      if (v.readyState >= 2 && v.videoWidth > 0) {
        let text: string | null = null;
        if (detector) {
          const found = await detector.detect(v).catch(() => []);
          text = found[0]?.rawValue ?? null;
        } else {
          canvas.width = v.videoWidth;
          canvas.height = v.videoHeight;
          const ctx = canvas.getContext('2d', { willReadFrequently: true });
          if (ctx) {
            ctx.drawImage(v, 0, 0);
            const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
            text = jsQR(img.data, img.width, img.height)?.data ?? null;
          }
        }
        if (text) {
          done.current(text.trim());
          return;
        }
      }
      frame = requestAnimationFrame(() => void tick());
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        stream = s;
        if (stopped || !video.current) return;
        video.current.srcObject = s;
        void video.current.play().catch(() => undefined);
        frame = requestAnimationFrame(() => void tick());
      })
      .catch(() => setFailed(true));
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);

  if (failed) return <p className="cw-error">{unavailableText}</p>;
  return <video ref={video} className="cw-scan" muted playsInline />;
}
