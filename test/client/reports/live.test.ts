import { subscribeReportVersion, type LiveState } from '../../../client/src/features/reports/live';

type Listener = (e: { data?: string }) => void;
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  listeners = new Map<string, Listener[]>();
  closed = false;
  constructor(readonly url: string, readonly init?: { withCredentials?: boolean }) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  fire(type: string, data?: string) {
    for (const fn of this.listeners.get(type) ?? []) fn(data === undefined ? {} : { data });
  }
}

const flush = () => new Promise((r) => setImmediate(r));

beforeEach(() => { FakeEventSource.instances = []; });

describe('live report version', () => {
  it('follows the SSE stream, ignoring repeats and malformed events', () => {
    const versions: number[] = [];
    const states: LiveState[] = [];
    const poll = jest.fn(async () => ({ version: 0 }));
    const stop = subscribeReportVersion((v) => versions.push(v), (s) => states.push(s), {
      streamUrl: '/api/v1/reports/stream', poll, EventSourceImpl: FakeEventSource as unknown as typeof EventSource,
    });
    const es = FakeEventSource.instances[0]!;
    expect(es.url).toBe('/api/v1/reports/stream');
    expect(es.init).toEqual({ withCredentials: true });
    es.fire('changed', '{"version":3}');
    es.fire('changed', '{"version":3}');
    es.fire('changed', 'not json');
    es.fire('changed', '{"version":4}');
    expect(versions).toEqual([3, 4]);
    expect(states).toContain('live');
    expect(poll).not.toHaveBeenCalled();
    stop();
    expect(es.closed).toBe(true);
    es.fire('changed', '{"version":5}');
    expect(versions).toEqual([3, 4]);
  });

  it('falls back to polling the version counter when the stream keeps failing', async () => {
    const versions: number[] = [];
    const states: LiveState[] = [];
    const poll = jest.fn(async () => ({ version: 9 }));
    const stop = subscribeReportVersion((v) => versions.push(v), (s) => states.push(s), {
      streamUrl: '/s', poll, intervalMs: 3_600_000, EventSourceImpl: FakeEventSource as unknown as typeof EventSource,
    });
    const es = FakeEventSource.instances[0]!;
    es.fire('error');
    es.fire('error');
    expect(states[states.length - 1]).toBe('offline');
    expect(poll).not.toHaveBeenCalled();
    es.fire('error');
    expect(es.closed).toBe(true);
    await flush();
    expect(poll).toHaveBeenCalledTimes(1);
    expect(versions).toEqual([9]);
    expect(states[states.length - 1]).toBe('polling');
    stop();
  });

  it('polls when there is no EventSource', async () => {
    const versions: number[] = [];
    const poll = jest.fn().mockResolvedValueOnce({ version: 1 }).mockRejectedValueOnce(new Error('down'));
    const states: LiveState[] = [];
    jest.useFakeTimers();
    try {
      const stop = subscribeReportVersion((v) => versions.push(v), (s) => states.push(s), { streamUrl: '/s', poll, intervalMs: 1000, EventSourceImpl: undefined });
      await Promise.resolve();
      await Promise.resolve();
      expect(versions).toEqual([1]);
      jest.advanceTimersByTime(1000);
      await Promise.resolve();
      await Promise.resolve();
      expect(poll).toHaveBeenCalledTimes(2);
      expect(states[states.length - 1]).toBe('offline');
      stop();
      jest.advanceTimersByTime(5000);
      expect(poll).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
