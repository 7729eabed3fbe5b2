import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PiiScanView } from '../../../../../shared/security';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../../engine';
import { resetServersStore } from '../../servers';
import { resetTokensStore } from '../../tokens';

// The guide's example, and what core's scanner finds in it.
const EXAMPLE = '고객 정보: 홍길동님 (hong@example.com, 010-1234-5678)';
const at = (part: string) => ({ start: EXAMPLE.indexOf(part), end: EXAMPLE.indexOf(part) + part.length });
const TOKEN = 'gAAAAABpQ1n0dGVzdC10b2tlbi1ub3QtcmVhbA==';
const TYPES = { PERSON: 1, EMAIL_ADDRESS: 1, PHONE_NUMBER: 1 };
const SCAN: PiiScanView = {
  findings: [
    { type: 'PERSON', ...at('홍길동'), score: 0.85 },
    { type: 'EMAIL_ADDRESS', ...at('hong@example.com'), score: 0.95 },
    { type: 'PHONE_NUMBER', ...at('010-1234-5678'), score: 0.9 },
  ],
  timedOut: false,
  elapsedMs: 1.4,
  outcomes: {
    allow: { action: 'allowed', piiTypes: TYPES, text: EXAMPLE },
    mask: { action: 'masked', piiTypes: TYPES, text: '고객 정보: ***님 (****************, *************)' },
    redact: { action: 'redacted', piiTypes: TYPES, text: '고객 정보: [REDACTED]님 ([REDACTED], [REDACTED])' },
    encrypt: { action: 'encrypted', piiTypes: TYPES, text: TOKEN },
    reject: {
      action: 'rejected',
      piiTypes: TYPES,
      message:
        'Refused: the data contains PII (EMAIL_ADDRESS ×1, PERSON ×1, PHONE_NUMBER ×1) and the policy rejects it',
    },
  },
};

const PATTERNS = `{
  "patterns": {
    "employee_id": { "pattern": "\\\\bEMP-\\\\d{6}\\\\b", "score": 0.8 },
    "ticket": { "pattern": "(a+)+$", "flags": "i" }
  }
}
`;

let stop: (() => void) | undefined;
beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
  resetServersStore();
  resetTokensStore();
  window.location.hash = '#pii';
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
  window.location.hash = '';
});

function mount() {
  const stub = createPreloadStub();
  stub.raw.security.scan.mockResolvedValue({ ok: true, value: SCAN });
  stub.raw.security.patterns.mockResolvedValue({
    ok: true,
    value: { file: '/d/pii_patterns.json', text: PATTERNS, count: 2 },
  });
  window.mcpDock = stub.raw;
  const connection = connectToDock(window);
  stop = startSync(connection);
  render(<App />);
  return stub;
}

async function scanExample(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByLabelText('Text to scan'));
  await user.paste(EXAMPLE);
  return screen.findByLabelText('Highlighted text');
}

describe('PII Tester pane', () => {
  it('highlights the guide example’s three findings inline', async () => {
    const user = userEvent.setup();
    const stub = mount();
    expect(await screen.findByRole('heading', { name: 'PII Tester', level: 1 })).toBeTruthy();
    const highlighted = await scanExample(user);
    const marks = [...highlighted.querySelectorAll('mark')];
    expect(marks.map((m) => m.textContent)).toEqual(['홍길동', 'hong@example.com', '010-1234-5678']);
    expect(marks.map((m) => m.getAttribute('aria-label'))).toEqual([
      'PERSON 0.85',
      'EMAIL_ADDRESS 0.95',
      'PHONE_NUMBER 0.90',
    ]);
    expect(marks[1]!.title).toBe('EMAIL_ADDRESS 0.95');
    expect(highlighted.querySelectorAll('.pii-tag')[0]!.textContent).toBe('PERSON');
    // The text around the findings is all there, in order.
    expect(highlighted.textContent).toBe(
      '고객 정보: 홍길동PERSON님 (hong@example.comEMAIL_ADDRESS, 010-1234-5678PHONE_NUMBER)',
    );
    // One scan, after typing stopped, with the configured threshold.
    expect(stub.raw.security.scan).toHaveBeenCalledTimes(1);
    expect(stub.raw.security.scan).toHaveBeenCalledWith({ text: EXAMPLE });

    const findings = screen.getByRole('table', { name: 'Findings' });
    const rows = within(findings).getAllByRole('row').slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['PERSON', '홍길동', `${at('홍길동').start}–${at('홍길동').end}`, '0.85'],
      [
        'EMAIL_ADDRESS',
        'hong@example.com',
        `${at('hong@example.com').start}–${at('hong@example.com').end}`,
        '0.95',
      ],
      ['PHONE_NUMBER', '010-1234-5678', `${at('010-1234-5678').start}–${at('010-1234-5678').end}`, '0.90'],
    ]);
    expect(screen.getByRole('status', { name: 'Scan status' }).textContent).toBe('3 findings · 1.4 ms');
  });

  it('shows the outcome under each policy side by side, and copies the Fernet token', async () => {
    const user = userEvent.setup();
    mount();
    await scanExample(user);
    const policy = (name: string) => screen.getByRole('article', { name: `Policy ${name}` });
    expect(within(policy('allow')).getByLabelText('Output under allow').textContent).toBe(EXAMPLE);
    expect(within(policy('mask')).getByLabelText('Output under mask').textContent).toBe(
      '고객 정보: ***님 (****************, *************)',
    );
    expect(within(policy('redact')).getByLabelText('Output under redact').textContent).toContain(
      '[REDACTED]',
    );
    expect(within(policy('encrypt')).getByLabelText('Output under encrypt').textContent).toBe(TOKEN);
    expect(within(policy('reject')).getByLabelText('Message under reject').textContent).toBe(
      SCAN.outcomes.reject.message,
    );
    expect(within(policy('reject')).queryByLabelText('Output under reject')).toBeNull();

    await user.click(within(policy('encrypt')).getByRole('button', { name: 'Copy token' }));
    expect(await navigator.clipboard.readText()).toBe(TOKEN);
  });

  it('rescans with the threshold the slider sets', async () => {
    const user = userEvent.setup();
    const stub = mount();
    await scanExample(user);
    fireEvent.change(screen.getByLabelText('Threshold'), { target: { value: '0.8' } });
    await vi.waitFor(() =>
      expect(stub.raw.security.scan).toHaveBeenLastCalledWith({ text: EXAMPLE, threshold: 0.8 }),
    );
    expect(screen.getByText('(this test only)')).toBeTruthy();
  });

  it('shows a scan error as a sentence, without its code', async () => {
    const user = userEvent.setup();
    const stub = mount();
    stub.raw.security.scan.mockResolvedValue({
      ok: false,
      error: { code: 'SCAN_TIMEOUT', message: 'the scan took longer than 250 ms' },
    });
    await user.click(await screen.findByLabelText('Text to scan'));
    await user.paste(EXAMPLE);
    expect((await screen.findByRole('alert')).textContent).toBe('The scan took longer than 250 ms.');
  });

  it('checks each custom pattern for safety', async () => {
    const user = userEvent.setup();
    const stub = mount();
    stub.raw.security.checkPattern.mockImplementation(async (input) =>
      (input as { pattern: string }).pattern === '(a+)+$'
        ? { ok: true, value: { safe: false, reason: 'nested quantifier: catastrophic backtracking' } }
        : { ok: true, value: { safe: true } },
    );
    const editor = await screen.findByLabelText('Pattern file (JSON)');
    await vi.waitFor(() => expect((editor as HTMLTextAreaElement).value).toBe(PATTERNS));
    expect(screen.getByText(/2 patterns in use/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Check' }));
    const list = await screen.findByRole('list', { name: 'Pattern check' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['employee_id: safe', 'ticket: unsafe (nested quantifier: catastrophic backtracking)']);
    expect(stub.raw.security.checkPattern).toHaveBeenCalledWith({ pattern: '\\bEMP-\\d{6}\\b' });
    expect(stub.raw.security.checkPattern).toHaveBeenCalledWith({ pattern: '(a+)+$', flags: 'i' });
  });

  it('reports a file that is not JSON before asking core', async () => {
    const user = userEvent.setup();
    const stub = mount();
    const editor = await screen.findByLabelText('Pattern file (JSON)');
    await vi.waitFor(() => expect((editor as HTMLTextAreaElement).value).toBe(PATTERNS));
    await user.clear(editor);
    await user.click(editor);
    await user.paste('{"patterns": ');
    await user.click(screen.getByRole('button', { name: 'Check' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^The pattern file is not JSON: /);
    expect(stub.raw.security.checkPattern).not.toHaveBeenCalled();
  });

  it('shows a refused save as a sentence, without its code, and rescans after a good one', async () => {
    const user = userEvent.setup();
    const stub = mount();
    await scanExample(user);
    const editor = await screen.findByLabelText('Pattern file (JSON)');
    await vi.waitFor(() => expect((editor as HTMLTextAreaElement).value).toBe(PATTERNS));

    stub.raw.security.savePatterns.mockResolvedValueOnce({
      ok: false,
      error: { code: 'UNSAFE_PATTERN', message: 'pattern "ticket" may backtrack catastrophically: (a+)+' },
    });
    await user.click(screen.getByRole('button', { name: 'Save patterns' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Pattern "ticket" may backtrack catastrophically: (a+)+',
    );
    expect(stub.raw.security.savePatterns).toHaveBeenCalledWith({ text: PATTERNS });

    const scans = stub.raw.security.scan.mock.calls.length;
    stub.raw.security.savePatterns.mockResolvedValueOnce({
      ok: true,
      value: { file: '/d/pii_patterns.json', text: PATTERNS, count: 2 },
    });
    await user.click(screen.getByRole('button', { name: 'Save patterns' }));
    expect((await screen.findByText('Saved 2 patterns to /d/pii_patterns.json')).getAttribute('role')).toBe(
      'status',
    );
    expect(screen.queryByRole('alert')).toBeNull();
    await vi.waitFor(() => expect(stub.raw.security.scan.mock.calls.length).toBe(scans + 1));
  });
});
