/**
 * Idle detection for one respondent: after `idleMs` without a touch/key the prompt shows; after
 * `promptMs` more, `onTimeout` runs (the caller wipes). Any touch while prompting keeps going.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

const ACTIVITY = ['pointerdown', 'keydown', 'input', 'touchstart', 'wheel'] as const;

export function useIdleTimeout(opts: { enabled: boolean; idleMs: number; promptMs: number; onTimeout: () => void }) {
  const { enabled, idleMs, promptMs } = opts;
  const last = useRef(Date.now());
  const [prompting, setPrompting] = useState(false);
  const [remainingS, setRemainingS] = useState(Math.ceil(promptMs / 1000));
  const onTimeout = useRef(opts.onTimeout);
  onTimeout.current = opts.onTimeout;
  const promptingRef = useRef(false);

  const keepAlive = useCallback(() => {
    last.current = Date.now();
    promptingRef.current = false;
    setPrompting(false);
  }, []);

  useEffect(() => {
    if (!enabled) return undefined;
    last.current = Date.now();
    const onActivity = () => {
      // While the prompt is up only its button continues (a stray touch elsewhere does too).
      last.current = Date.now();
      if (promptingRef.current) {
        promptingRef.current = false;
        setPrompting(false);
      }
    };
    for (const type of ACTIVITY) document.addEventListener(type, onActivity, { capture: true, passive: true });
    const tickMs = Math.min(1000, Math.max(100, Math.floor(Math.min(idleMs, promptMs) / 4)));
    let fired = false;
    const timer = window.setInterval(() => {
      const idle = Date.now() - last.current;
      if (idle >= idleMs + promptMs) {
        if (!fired) {
          fired = true;
          window.clearInterval(timer);
          onTimeout.current();
        }
      } else if (idle >= idleMs) {
        if (!promptingRef.current) {
          promptingRef.current = true;
          setPrompting(true);
        }
        setRemainingS(Math.max(0, Math.ceil((idleMs + promptMs - idle) / 1000)));
      }
    }, tickMs);
    return () => {
      window.clearInterval(timer);
      for (const type of ACTIVITY) document.removeEventListener(type, onActivity, { capture: true });
    };
  }, [enabled, idleMs, promptMs]);

  return { prompting, remainingS, keepAlive };
}
