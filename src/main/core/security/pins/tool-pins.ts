import type { AuditEventInput } from '../../../../shared/audit';
import type { PinFinding, PinStatus, ToolPin } from '../../../../shared/pins';
import { PinNotFoundError } from './pin-errors';
import { pinFile, type PinEntry, type PinFile, type PinState } from './lib/pin-file';
import { scanToolDefinition } from './scan-tool-definition';
import { definitionHash, pinnedDefinition } from './tool-definition';

type Tool = Record<string, unknown>;
export type Approver = 'panel' | 'cli';

export interface ToolPinsOptions {
  // Where tool_pinned, tool_changed and tool_approved go.
  audit(event: AuditEventInput): Promise<unknown>;
  // The app audits approvals the CLI wrote while the app held the log; the CLI, with no app
  // running, audits its own.
  auditOthersApprovals: boolean;
  now?: () => Date;
}

const statusOf = (entry: PinEntry): PinStatus =>
  entry.pending ? (entry.approved ? 'changed' : 'new') : 'approved';

const short = (hash: string) => hash.slice(0, 12);
const findingsText = (findings: readonly PinFinding[]) =>
  findings.length === 0 ? 'no findings' : `findings: ${[...new Set(findings.map((f) => f.kind))].join(', ')}`;

// Each server's tool definitions as a person approved them (or as first seen, when nothing looked
// wrong). The gateway serves a tool only while the server offers exactly its approved definition;
// a changed or new one waits for a person. Kept in <dataDir>/tool-pins.json.
export class ToolPins {
  readonly #file: PinFile;
  readonly #options: ToolPinsOptions;
  #state: PinState;
  // A listed tool's hash, per listed object: lists are held until they change, so a call's check
  // does not hash the definition again.
  readonly #hashes = new WeakMap<Tool, string>();
  readonly #listeners = new Set<() => void>();
  #saving: Promise<void> = Promise.resolve();
  #saveQueued = false;
  readonly #auditing = new Set<Promise<unknown>>();

  private constructor(file: PinFile, state: PinState, options: ToolPinsOptions) {
    this.#file = file;
    this.#state = state;
    this.#options = options;
  }

  static async open(dataDir: string, options: ToolPinsOptions): Promise<ToolPins> {
    const file = pinFile(dataDir);
    return new ToolPins(file, await file.read(), options);
  }

  // The tools of a server's list that may be served. What is seen for the first time is pinned
  // (or, with findings, held for a person), and what differs from its pin is held.
  review<T extends Tool>(server: string, tools: readonly T[]): T[] {
    let changed = false;
    let known = this.#state[server];
    const firstSight = known === undefined;
    const visible: T[] = [];
    for (const tool of tools) {
      if (typeof tool.name !== 'string') continue;
      const hash = this.#hash(tool);
      known ??= this.#state[server] = {};
      const entry = known[tool.name];
      if (entry?.approved?.hash === hash) {
        // The server offers the approved definition again (after a change it took back).
        if (entry.pending) {
          delete entry.pending;
          changed = true;
        }
        visible.push(tool);
        continue;
      }
      if (entry?.pending?.hash === hash) continue;
      changed = true;
      const definition = pinnedDefinition(tool);
      const findings = scanToolDefinition(definition);
      const at = this.#now();
      if (firstSight && findings.length === 0) {
        known[tool.name] = { approved: { hash, definition, at, by: 'first_sight' } };
        this.#audit('tool_pinned', server, tool.name, 'pinned', `sha256 ${short(hash)}`);
        visible.push(tool);
        continue;
      }
      known[tool.name] = { ...entry, pending: { hash, definition, at, findings, kept: false } };
      const was = entry?.approved
        ? `sha256 ${short(entry.approved.hash)} -> `
        : firstSight
          ? ''
          : 'new tool, ';
      this.#audit(
        firstSight ? 'tool_pinned' : 'tool_changed',
        server,
        tool.name,
        'withheld',
        `${was}sha256 ${short(hash)}; ${findingsText(findings)}`,
      );
    }
    if (changed) this.#changed();
    return visible;
  }

  // Whether a listed tool may be called: approved, or why not.
  status(server: string, tool: Tool): PinStatus {
    const entry = this.#state[server]?.[String(tool.name)];
    if (!entry) return 'new';
    const hash = this.#hash(tool);
    if (entry.approved?.hash === hash) return 'approved';
    return entry.approved ? 'changed' : 'new';
  }

  list(server?: string): ToolPin[] {
    const servers = server === undefined ? Object.keys(this.#state).sort() : [server];
    return servers.flatMap((s) =>
      Object.entries(this.#state[s] ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([tool, entry]) => this.#view(s, tool, entry)),
    );
  }

  // Serves the definitions the server offers now. Tools named that have nothing to approve are an
  // error, and nothing is approved then.
  async approve(server: string, tools: readonly string[] | undefined, by: Approver): Promise<ToolPin[]> {
    const known = this.#state[server];
    if (!known) throw new PinNotFoundError(server, undefined, 'MCP Dock has not seen this server’s tools');
    const names =
      tools ??
      Object.keys(known)
        .filter((t) => known[t]!.pending)
        .sort();
    for (const name of names) {
      if (!known[name]) throw new PinNotFoundError(server, name, 'no such tool has been seen');
      if (!known[name].pending)
        throw new PinNotFoundError(server, name, 'already approved; nothing to approve');
    }
    const at = this.#now();
    for (const name of names) {
      const pending = known[name]!.pending!;
      known[name] = { approved: { hash: pending.hash, definition: pending.definition, at, by } };
      this.#audit(
        'tool_approved',
        server,
        name,
        'approved',
        `sha256 ${short(pending.hash)} by ${by}; ${findingsText(pending.findings)}`,
      );
    }
    if (names.length > 0) this.#changed();
    await this.flush();
    return names.map((name) => this.#view(server, name, known[name]!));
  }

  // The person looked and keeps the tool withheld: it stays out, and stops asking until the server
  // offers yet another definition.
  async keepWithheld(server: string, tool: string): Promise<ToolPin> {
    const entry = this.#state[server]?.[tool];
    if (!entry?.pending) throw new PinNotFoundError(server, tool, 'nothing waits for approval');
    entry.pending.kept = true;
    this.#changed();
    await this.flush();
    return this.#view(server, tool, entry);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // Settles once every change so far is on disk and every record of it in the audit log; fails if
  // the file could not be written.
  async flush(): Promise<void> {
    await Promise.all([this.#saving, ...this.#auditing]);
  }

  holdsOwnWrite(): Promise<boolean> {
    return this.#file.holdsOwnWrite();
  }

  // Someone else (the CLI) wrote the file: take it, and audit the approvals made there.
  async reload(): Promise<void> {
    const before = this.#state;
    this.#state = await this.#file.read();
    if (this.#options.auditOthersApprovals)
      for (const [server, tools] of Object.entries(this.#state))
        for (const [tool, entry] of Object.entries(tools)) {
          const approval = entry.approved;
          if (!approval || approval.by === 'first_sight') continue;
          const had = before[server]?.[tool]?.approved;
          if (had && had.at === approval.at && had.hash === approval.hash && had.by === approval.by) continue;
          this.#audit(
            'tool_approved',
            server,
            tool,
            'approved',
            `sha256 ${short(approval.hash)} by ${approval.by}`,
          );
        }
    for (const listener of this.#listeners) listener();
  }

  #view(server: string, tool: string, entry: PinEntry): ToolPin {
    const current = entry.pending ?? entry.approved!;
    return {
      server,
      tool,
      status: statusOf(entry),
      hash: current.hash,
      findings: entry.pending?.findings ?? [],
      ...(entry.approved ? { approved: entry.approved } : {}),
      ...(entry.pending ? { pending: entry.pending } : {}),
    };
  }

  #hash(tool: Tool): string {
    let hash = this.#hashes.get(tool);
    if (hash === undefined) {
      hash = definitionHash(pinnedDefinition(tool));
      this.#hashes.set(tool, hash);
    }
    return hash;
  }

  #now(): string {
    return (this.#options.now?.() ?? new Date()).toISOString();
  }

  // A record that cannot be written does not undo the pin: the pin is what keeps a tool out.
  #audit(eventType: string, server: string, tool: string, action: string, detail: string): void {
    const written = this.#options
      .audit({
        event_type: eventType,
        tool_name: tool,
        server,
        user_id: 'local',
        client_id: 'mcp-dock',
        contains_pii: false,
        action_taken: action,
        parameter_count: 0,
        detail,
      })
      .catch(() => undefined)
      .finally(() => this.#auditing.delete(written));
    this.#auditing.add(written);
  }

  // Saves are queued one after another; changes made while one is queued ride along with it.
  #changed(): void {
    for (const listener of this.#listeners) listener();
    if (this.#saveQueued) return;
    this.#saveQueued = true;
    // One failed write does not stop the next; the failure reaches whoever flushes.
    this.#saving = this.#saving
      .catch(() => undefined)
      .then(async () => {
        this.#saveQueued = false;
        await this.#file.save(this.#state);
      });
  }
}
