/**
 * The rollup engine: facts and deltas at ingestion, the review hook, the repair pass and the
 * rebuild. Indicator definitions are read from storage (the built-ins are created on first use)
 * and cached until an indicator changes.
 */
import { EventEmitter } from 'node:events';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Form, Storage, Submission } from '../../storage/port';
import { AWARENESS_INDICATOR, SATISFACTION_INDICATOR, type IndicatorDefinition, type IndicatorConfigError } from '../../../common/scoring';
import type { ReviewState } from '../../../common/api/submissions';
import { DEFAULT_COUNTED_REVIEW_STATES } from '../../../common/review';
import { deltaOf, deriveFacts, LeafMonthAccumulator, RollupAccumulator } from '../../reports/facts';
import type { RollupDelta, StoredTarget } from '../../storage/reports-port';

export interface RollupEngineDeps {
  storage: Storage;
  now: () => Date;
  /** Review states that count toward indicators (configuration; default all but rejected). */
  countedStates?: readonly ReviewState[];
  onConfigError?: (err: IndicatorConfigError) => void;
}

/** Default targets (metrics.md / issue 5): awareness ≥ 98%, satisfaction ≥ 95%, any period type. */
export const DEFAULT_TARGETS: { indicatorId: string; op: '>='; value: number }[] = [
  { indicatorId: AWARENESS_INDICATOR.id, op: '>=', value: 0.98 },
  { indicatorId: SATISFACTION_INDICATOR.id, op: '>=', value: 0.95 },
];

export function makeRollupEngine(deps: RollupEngineDeps) {
  const { storage } = deps;
  const countedStates = deps.countedStates ?? DEFAULT_COUNTED_REVIEW_STATES;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let version = 0;
  let ready: Promise<void> | null = null;
  let indicators: Promise<IndicatorDefinition[]> | null = null;
  const forms = new Map<string, Promise<Form | null>>();
  const definitions = new Map<string, Promise<Record<string, unknown> | null>>();

  /** Built-in indicators and their default targets, once, on the first start of a store. */
  function ensureReady(): Promise<void> {
    ready ??= (async () => {
      const existing = await storage.reports.listIndicators();
      if (existing.length > 0) return;
      const at = deps.now().toISOString();
      for (const def of [AWARENESS_INDICATOR, SATISFACTION_INDICATOR]) {
        await storage.reports.putIndicator({ definition: def, builtIn: true, createdAt: at, updatedAt: at });
      }
      for (const t of DEFAULT_TARGETS) {
        const target: StoredTarget = { indicatorId: t.indicatorId, scope: { kind: 'default' }, periodType: null, target: { op: t.op, value: t.value }, updatedAt: at };
        await storage.reports.putTarget(target);
      }
    })().catch((err: unknown) => { ready = null; throw err; });
    return ready;
  }

  function activeIndicators(): Promise<IndicatorDefinition[]> {
    indicators ??= ensureReady()
      .then(() => storage.reports.listIndicators())
      .then((list) => list.map((i) => i.definition))
      .catch((err: unknown) => { indicators = null; throw err; });
    return indicators;
  }

  const formOf = (id: string) => {
    if (!forms.has(id)) forms.set(id, storage.forms.get(id));
    return forms.get(id)!;
  };
  const definitionOf = (formId: string, v: number) => {
    const key = `${formId}@${v}`;
    if (!definitions.has(key)) definitions.set(key, storage.forms.getVersion(formId, v).then((fv) => (fv ? (fv.definition as Record<string, unknown>) : null)));
    return definitions.get(key)!;
  };

  /** Facts of a submission from its form version (null: nothing to count). */
  async function factsFor(s: Pick<Submission, 'formId' | 'formVersion' | 'answers'>, defs?: IndicatorDefinition[]) {
    const form = await formOf(s.formId);
    const definition = await definitionOf(s.formId, s.formVersion);
    if (!form || !definition) return null;
    return deriveFacts({ formKind: form.kind, formSlug: form.slug, definition, answers: s.answers }, defs ?? (await activeIndicators()), deps.onConfigError);
  }

  function changed(): void {
    version++;
    events.emit('changed', version);
  }

  return {
    countedStates,
    events,
    ensureReady,
    version: () => version,
    changed,
    activeIndicators,
    /** Forget cached indicator definitions (after a change through the API). */
    invalidate() { indicators = null; },

    /**
     * Score each submission (sets `facts` on it) and return its rollup delta for insertMany,
     * which applies it only when the item is actually stored.
     */
    async prepare(subs: Submission[]): Promise<(RollupDelta | null)[]> {
      const defs = await activeIndicators();
      const out: (RollupDelta | null)[] = [];
      for (const s of subs) {
        const facts = await factsFor(s, defs);
        if (facts) s.facts = facts;
        out.push(facts ? deltaOf(s, countedStates) : null);
      }
      return out;
    },

    /**
     * A review decision moved a submission from `from` to `to`: when that changes whether it
     * counts, move its contribution (to or from the `review` exclusion). Call after the decision
     * was recorded. Returns whether the rollups changed.
     */
    async reviewChanged(submissionId: string, from: ReviewState, to: ReviewState): Promise<boolean> {
      if (countedStates.includes(from) === countedStates.includes(to)) return false;
      const s = await storage.submissions.get(submissionId);
      if (!s || !s.facts) return false;
      const acc = new RollupAccumulator();
      acc.add(deltaOf({ ...s, reviewState: from }, countedStates, -1));
      acc.add(deltaOf({ ...s, reviewState: to }, countedStates, 1));
      await storage.reports.applyDelta(acc.toDelta());
      changed();
      return true;
    },

    /** MongoDB without transactions: apply the deltas of stored submissions never marked rolled up. */
    async repair(): Promise<number> {
      let n = 0;
      for (;;) {
        const ids = await storage.reports.unrolled(500);
        if (ids.length === 0) break;
        const acc = new RollupAccumulator();
        for (const id of ids) {
          const s = await storage.submissions.get(id);
          if (s) acc.add(deltaOf(s, countedStates));
        }
        await storage.reports.applyDelta(acc.toDelta());
        await storage.reports.markRolledUp(ids);
        n += ids.length;
      }
      if (n) changed();
      return n;
    },

    /**
     * Recompute every submission's facts (with the indicator definitions in force now) and every
     * rollup from the submissions; replaces what is stored. Yields between pages.
     */
    async rebuild(opts: { pageSize?: number } = {}): Promise<{ submissions: number; rollups: number; itemRollups: number; ms: number }> {
      const t0 = Date.now();
      const defs = await activeIndicators();
      const leaf = new LeafMonthAccumulator();
      const pageSize = opts.pageSize ?? 2000;
      let cursor = null;
      let n = 0;
      for (;;) {
        const page = await storage.submissions.list({}, cursor, pageSize);
        const updates: { id: string; facts: Submission['facts'] | null }[] = [];
        for (const s of page.items) {
          const facts = await factsFor(s, defs);
          // rewrite only facts that changed (a definition changed since): most rows stay untouched
          if (JSON.stringify(facts ?? null) !== JSON.stringify(s.facts ?? null)) updates.push({ id: s.id, facts });
          if (facts) leaf.add({ ...s, facts }, countedStates);
        }
        if (updates.length) await storage.reports.setFacts(updates.map((u) => ({ id: u.id, facts: u.facts ?? null })));
        n += page.items.length;
        if (!page.next) break;
        cursor = page.next;
        await yieldToEventLoop();
      }
      const acc = leaf.expand();
      await storage.reports.replaceAll([...acc.rows.values()], [...acc.items.values()]);
      changed();
      return { submissions: n, rollups: acc.rows.size, itemRollups: acc.items.size, ms: Date.now() - t0 };
    },
  };
}

export type RollupEngine = ReturnType<typeof makeRollupEngine>;
