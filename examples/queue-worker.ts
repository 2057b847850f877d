/**
 * A server-side worker: uploads arrive on a queue, the worker analyses each
 * one, adds it to the runner's stored training history and reports the
 * findings for that activity. The history is stored as JSON between uploads
 * (a Map stands for the database); each upload updates only the weeks it
 * touches (`createHistory`), not the whole history.
 *
 *   npx tsx examples/queue-worker.ts
 *
 * The uploads are the generated demo season (FIT, GPX and TCX bytes), sent
 * mostly in time order, with a late upload of an old run, the same file sent
 * twice and a broken file.
 */
import { DEMO_TIME_ZONE, encodeDemoActivity, generateDemoSeason } from '../fixtures/demo-season/index.js';
import {
  analyzeHistory,
  createHistory,
  evaluateRules,
  historyFromJSON,
  isStridewiseError,
  parseActivities,
  summarizeActivity,
  type Finding,
  type HistoryState,
} from '../src/index.js';

interface Upload {
  readonly runnerId: string;
  readonly fileName: string;
  readonly bytes: Uint8Array | string;
  /** The shoe chosen in the upload form (files carry none). */
  readonly gear?: string;
}

/** An in-process queue: `push` from the upload handler, one worker takes jobs in order. */
class Queue<T> {
  private readonly jobs: T[] = [];
  private wake: (() => void) | null = null;
  private closed = false;
  push(job: T): void {
    this.jobs.push(job);
    this.wake?.();
  }
  close(): void {
    this.closed = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const job = this.jobs.shift();
      if (job !== undefined) yield job;
      else if (this.closed) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

const db = new Map<string, string>(); // runner id -> stored history (JSON text)
const OPTIONS = { timeZone: DEMO_TIME_ZONE };

async function handle(upload: Upload): Promise<string[]> {
  const activities = await parseActivities(upload.bytes, { fileName: upload.fileName });
  const stored = db.get(upload.runnerId);
  const history = stored !== undefined ? historyFromJSON(JSON.parse(stored) as HistoryState) : createHistory(OPTIONS);
  const lines: string[] = [];
  for (const activity of activities) {
    const summary = { ...summarizeActivity(activity, { timeZone: DEMO_TIME_ZONE }), gear: upload.gear ?? null };
    const again = history.summaries().some((s) => s.id === summary.id);
    const work = history.add(summary);
    const h = history.history();
    const session = h.sessions.find((x) => x.activityIds.includes(summary.id));
    // per-activity rules on the new activity only; the history rules read the whole stored history
    const findings = evaluateRules(h, [summary]).filter(
      (f: Finding) => (f.activityId !== null && session?.activityIds.includes(f.activityId)) || (f.activityId === summary.id) || (f.week !== null && f.week === session?.weekStart),
    );
    const copy = again ? ' (the same activity again: counted once)' : '';
    lines.push(
      `${upload.fileName}: ${summary.localDate} ${summary.sport} ${(summary.distanceM / 1000).toFixed(1)} km${copy}; ` +
        `${work.sessionsRecomputed} session(s) recomputed, ${work.weeksRecomputed} week figure(s); ${findings.length} finding(s)`,
    );
    for (const f of findings.slice(0, 3)) lines.push(`    ${f.severity}: ${f.message}`);
  }
  db.set(upload.runnerId, JSON.stringify(history));
  return lines;
}

const queue = new Queue<Upload>();
const worker = (async () => {
  let failed = 0;
  for await (const upload of queue) {
    try {
      for (const line of await handle(upload)) console.log(line);
    } catch (e) {
      // one bad upload never stops the worker
      if (!isStridewiseError(e)) throw e;
      failed++;
      console.log(`${upload.fileName}: rejected, ${e.code}: ${e.message}`);
    }
  }
  return failed;
})();

const season = generateDemoSeason();
const late = season.findIndex((a) => a.plan.key === 'w05-sat');
const uploads: Upload[] = season.map((a) => ({ runnerId: 'runner-42', fileName: a.fileName, bytes: encodeDemoActivity(a), ...(a.plan.gear !== undefined ? { gear: a.plan.gear } : {}) }));
const order = [...uploads.slice(0, late), ...uploads.slice(late + 1, late + 6), uploads[late]!, ...uploads.slice(late + 6)];
for (const u of order) queue.push(u);
queue.push(uploads[3]!); // the same file sent twice
queue.push({ runnerId: 'runner-42', fileName: 'broken.fit', bytes: new Uint8Array([14, 16, 1, 2, 3]) });
queue.close();
const failed = await worker;

// The stored history is exactly the one a full analysis of every stored summary gives.
const state = JSON.parse(db.get('runner-42')!) as HistoryState;
const full = analyzeHistory(state.summaries, OPTIONS);
const same = JSON.stringify(historyFromJSON(state).history()) === JSON.stringify(full);
console.log(`stored: ${state.summaries.length} summaries, ${full.sessions.length} sessions, ${full.weeks.length} weeks; ${failed} upload(s) rejected; equal to a full analysis: ${same}`);
if (!same || failed !== 1) process.exit(1);
