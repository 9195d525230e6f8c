/**
 * Live report updates: the server's SSE stream (`GET /reports/stream`, event `changed` with
 * `{ version }`), or — where EventSource is missing or the stream keeps failing — polling the
 * cheap version counter (`GET /reports/version`). Callers refetch when the version changes.
 */
import { useEffect, useState } from 'react';

export interface LiveOptions {
  streamUrl: string;
  /** the version counter, for polling */
  poll: () => Promise<{ version: number }>;
  /** polling interval; default 5 s */
  intervalMs?: number;
  /** injected in tests; default globalThis.EventSource */
  EventSourceImpl?: typeof EventSource | undefined;
  /** switch to polling after this many stream errors without an event in between; default 3 */
  maxStreamErrors?: number;
}

export type LiveState = 'connecting' | 'live' | 'polling' | 'offline';

/** Calls `onVersion` with each version seen (duplicates filtered). Returns the unsubscriber. */
export function subscribeReportVersion(onVersion: (version: number) => void, onState: (s: LiveState) => void, opts: LiveOptions): () => void {
  let last: number | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  let source: EventSource | null = null;
  const emit = (v: number) => {
    if (stopped || v === last) return;
    last = v;
    onVersion(v);
  };
  const startPolling = () => {
    if (timer || stopped) return;
    onState('polling');
    const tick = () => {
      opts.poll().then((r) => { if (!stopped) { onState('polling'); emit(r.version); } }, () => { if (!stopped) onState('offline'); });
    };
    tick();
    timer = setInterval(tick, opts.intervalMs ?? 5000);
  };
  const ES = opts.EventSourceImpl === undefined && !('EventSourceImpl' in opts) ? (globalThis as { EventSource?: typeof EventSource }).EventSource : opts.EventSourceImpl;
  if (!ES) {
    startPolling();
  } else {
    onState('connecting');
    let errors = 0;
    source = new ES(opts.streamUrl, { withCredentials: true });
    source.addEventListener('changed', (e) => {
      errors = 0;
      onState('live');
      try {
        const data = JSON.parse((e as MessageEvent<string>).data) as { version?: unknown };
        if (typeof data.version === 'number') emit(data.version);
      } catch {
        /* a malformed event: ignore, the next one will carry the version */
      }
    });
    source.addEventListener('open', () => onState('live'));
    source.addEventListener('error', () => {
      errors += 1;
      if (stopped) return;
      if (errors >= (opts.maxStreamErrors ?? 3)) {
        source?.close();
        source = null;
        startPolling();
      } else {
        onState('offline'); // EventSource reconnects by itself
      }
    });
  }
  return () => {
    stopped = true;
    source?.close();
    if (timer) clearInterval(timer);
  };
}

/** React hook: the latest report version (null until the first) and the connection state. */
export function useReportVersion(opts: LiveOptions): { version: number | null; state: LiveState } {
  const [version, setVersion] = useState<number | null>(null);
  const [state, setState] = useState<LiveState>('connecting');
  const { streamUrl, poll, intervalMs } = opts;
  useEffect(
    () => subscribeReportVersion(setVersion, setState, { streamUrl, poll, ...(intervalMs ? { intervalMs } : {}), ...('EventSourceImpl' in opts ? { EventSourceImpl: opts.EventSourceImpl } : {}) }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one subscription per stream URL
    [streamUrl],
  );
  return { version, state };
}
