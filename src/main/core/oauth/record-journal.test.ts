import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openRecordJournal } from './record-journal';

let file: string;
beforeEach(async () => {
  file = join(await mkdtemp(join(tmpdir(), 'mcp-dock-journal-')), 'oauth-tokens.jsonl');
});

const lines = async () => (await readFile(file, 'utf8')).split('\n').filter(Boolean);

describe('record journal', () => {
  it('keeps records and deletions across a reopen, owner-only', async () => {
    const journal = await openRecordJournal(file, Date.now);
    await journal.put('a', { payload: { jti: 'a' }, expiresAt: Date.now() + 60_000 });
    await journal.put('b', { payload: { jti: 'b' } });
    await journal.delete('a');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const again = await openRecordJournal(file, Date.now);
    expect(again.get('a')).toBeUndefined();
    expect(again.get('b')?.payload).toEqual({ jti: 'b' });
    expect(again.values()).toHaveLength(1);
  });

  it('appends one line per change, and a burst goes out in one write', async () => {
    const journal = await openRecordJournal(file, Date.now);
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.put(`t${i}`, { payload: { i } })));
    expect(await lines()).toHaveLength(50);
    expect(journal.values()).toHaveLength(50);
  });

  it('hides expired records and drops them when it compacts', async () => {
    let now = 1_000_000;
    const journal = await openRecordJournal(file, () => now);
    await journal.put('keep', { payload: { keep: true } });
    for (let i = 0; i < 1_200; i++) await journal.put(`old${i}`, { payload: {}, expiresAt: now + 1_000 });
    now += 2_000;
    expect(journal.get('old0')).toBeUndefined();
    journal.sweep();
    // The next append finds far more lines than live records, and rewrites the file.
    await journal.put('new', { payload: {} });
    expect((await lines()).length).toBeLessThan(10);
    const again = await openRecordJournal(file, () => now);
    expect(again.values().map((r) => Object.keys(r.payload))).toEqual([['keep'], []]);
  });

  it('ignores a torn last line from a crash, and appends after it cleanly', async () => {
    await writeFile(file, '{"id":"a","payload":{"n":1}}\n{"id":"b","payl');
    const journal = await openRecordJournal(file, Date.now);
    expect(journal.get('a')?.payload).toEqual({ n: 1 });
    expect(journal.get('b')).toBeUndefined();
    await journal.put('c', { payload: { n: 3 } });
    const again = await openRecordJournal(file, Date.now);
    expect(again.values().map((r) => r.payload)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('reports a damaged line before the end, naming the file and line, and leaves it alone', async () => {
    const text = '{"id":"a","payload":{}}\nnot json\n{"id":"b","payload":{}}\n';
    await writeFile(file, text);
    await expect(openRecordJournal(file, Date.now)).rejects.toThrow(
      /oauth-tokens\.jsonl is invalid \(line 2: not JSON/,
    );
    await writeFile(file, '{"id":"a","payload":{},"extra":1}\n{"id":"b","payload":{}}\n');
    await expect(openRecordJournal(file, Date.now)).rejects.toThrow(/line 1/);
    expect(await readFile(file, 'utf8')).toContain('"extra":1');
  });

  it("follows another process's appends, and loses none of its own made during the reload", async () => {
    const ours = await openRecordJournal(file, Date.now);
    await ours.put('mine', { payload: {} });
    expect(await ours.holdsOwnWrite()).toBe(true);

    const theirs = await openRecordJournal(file, Date.now);
    await theirs.put('theirs', { payload: {} });
    expect(await ours.holdsOwnWrite()).toBe(false);

    const reloading = ours.reload();
    const during = ours.put('during', { payload: {} });
    await Promise.all([reloading, during]);
    expect(ours.values()).toHaveLength(3);
    expect(ours.get('during')).toBeDefined();
    expect(await ours.holdsOwnWrite()).toBe(true);
    expect((await openRecordJournal(file, Date.now)).values()).toHaveLength(3);
  });

  it('rejects a change that cannot be written, naming the file', async () => {
    const journal = await openRecordJournal(join(file, 'no-such-dir', 'x.jsonl'), Date.now);
    await expect(journal.put('a', { payload: {} })).rejects.toThrow(
      /x\.jsonl is invalid \(cannot write: ENOENT/,
    );
  });
});
