import { PII_ACTIONS, type PiiAction } from '../../../../shared/security';
import { applyPolicyToFindings, countTypes, type PolicyContext } from '../../security/policy/apply-policy';

// Synthetic customer records with valid-looking PII (checksums computed, not copied), so the
// simulation exercises the validators the way real data would. Seeded: the same every run.
export function sampleDataset(count = 24, seed = 7): string[] {
  let state = seed;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const digits = (n: number) => Array.from({ length: n }, () => rand(10)).join('');
  const surnames = ['김', '이', '박', '최', '정', '강', '조', '윤'];
  const given = ['민준', '서연', '도윤', '지우', '하준', '서윤', '길동', '예린'];
  const records: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${surnames[rand(surnames.length)]}${given[rand(given.length)]}`;
    const email = `user${i}.${digits(3)}@example.com`;
    const phone = `010-${digits(4)}-${digits(4)}`;
    switch (i % 6) {
      case 0:
        records.push(`고객: ${name}님, 연락처 ${phone}, 이메일 ${email}`);
        break;
      case 1:
        records.push(
          `Customer ${i} paid with card ${luhnCard('4', 16, digits)} from IP 203.0.113.${rand(250) + 1}`,
        );
        break;
      case 2:
        records.push(`${name}씨 주민등록번호 ${rrn(rand, digits)} 확인 완료`);
        break;
      case 3:
        records.push(`Order #${digits(6)} shipped; tracking code ${digits(10)}; no personal data`);
        break;
      case 4:
        records.push(`Contact ${email} or call +1 415-555-${digits(4)} about ticket ${digits(5)}`);
        break;
      default:
        records.push(`deploy config: api_key=${digits(8)}${'abcdef'.repeat(4)} region=ap-northeast-2`);
    }
  }
  return records;
}

function luhnCard(prefix: string, length: number, digits: (n: number) => string): string {
  const body = prefix + digits(length - prefix.length - 1);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  const full = body + String((10 - (sum % 10)) % 10);
  return full.replace(/(\d{4})(?=\d)/g, '$1-');
}

function rrn(rand: (n: number) => number, digits: (n: number) => string): string {
  const yy = String(70 + rand(30)).padStart(2, '0');
  const mm = String(1 + rand(12)).padStart(2, '0');
  const dd = String(1 + rand(28)).padStart(2, '0');
  const first12 = `${yy}${mm}${dd}${1 + rand(2)}${digits(5)}`;
  const weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  const sum = weights.reduce((s, w, i) => s + w * Number(first12[i]), 0);
  const check = (11 - (sum % 11)) % 10;
  return `${first12.slice(0, 6)}-${first12.slice(6)}${check}`;
}

export interface PolicyExposure {
  records_passed: number;
  records_rejected: number;
  // Findings that would leave in clear text under this policy.
  findings_exposed: number;
  // PII the scanner still finds in what would leave (after masking or redaction), re-scanned.
  residual_findings: number;
}

export interface BreachSimulation {
  dataset: 'sample' | 'given';
  records: number;
  records_with_pii: number;
  findings: Record<string, number>;
  policies: Record<PiiAction, PolicyExposure>;
  riskiest_records: { index: number; types: Record<string, number> }[];
  timed_out_records: number;
  verdict: string;
}

// Scans every record and plays each policy against it: what would leave, what would be
// refused, and whether the output still carries anything the scanner recognises.
export function simulateBreach(
  records: readonly string[],
  dataset: 'sample' | 'given',
  ctx: PolicyContext,
): BreachSimulation {
  const findings: Record<string, number> = {};
  const policies = Object.fromEntries(
    PII_ACTIONS.map((a) => [
      a,
      { records_passed: 0, records_rejected: 0, findings_exposed: 0, residual_findings: 0 },
    ]),
  ) as Record<PiiAction, PolicyExposure>;
  const perRecord: { index: number; types: Record<string, number>; total: number }[] = [];
  let timedOut = 0;
  records.forEach((record, index) => {
    const scan = ctx.scanner.scan(record, { threshold: ctx.threshold, timeBudgetMs: ctx.timeBudgetMs });
    if (scan.timedOut) timedOut++;
    const types = countTypes(scan.findings);
    countTypes(scan.findings, findings);
    if (scan.findings.length > 0) perRecord.push({ index, types, total: scan.findings.length });
    for (const action of PII_ACTIONS) {
      const outcome = applyPolicyToFindings(
        record,
        scan.findings,
        scan.timedOut,
        { action, entities: {}, maskStyle: 'asterisks' },
        ctx,
      );
      const p = policies[action];
      if (outcome.action === 'rejected') {
        p.records_rejected++;
        continue;
      }
      p.records_passed++;
      if (action === 'allow') p.findings_exposed += scan.findings.length;
      if (outcome.text !== undefined && outcome.action !== 'encrypted' && outcome.action !== 'allowed')
        p.residual_findings += ctx.scanner.scan(outcome.text, { threshold: ctx.threshold }).findings.length;
    }
  });
  const withPii = perRecord.length;
  const leaks = PII_ACTIONS.filter((a) => a !== 'allow' && policies[a].residual_findings > 0);
  return {
    dataset,
    records: records.length,
    records_with_pii: withPii,
    findings,
    policies,
    riskiest_records: perRecord
      .sort((a, b) => b.total - a.total)
      .slice(0, 5)
      .map(({ index, types }) => ({ index, types })),
    timed_out_records: timedOut,
    verdict:
      withPii === 0
        ? 'No PII found: nothing would leak under any policy.'
        : `${withPii} of ${records.length} records hold PII; under "allow" ${policies.allow.findings_exposed} values would leave in clear text.` +
          (leaks.length > 0
            ? ` Residual PII after ${leaks.join(', ')}: review those policies.`
            : ' mask, redact, encrypt and reject leave nothing the scanner recognises.'),
  };
}
