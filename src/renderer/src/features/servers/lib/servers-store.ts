import { create } from 'zustand';
import type { LogLine, Orphan, PullProgress, ServerView } from '../../../../../shared/servers';

export const MAX_UI_LOG_LINES = 1000;

export interface OperationError {
  code: string;
  message: string;
  // The action that failed, so the UI can offer the follow-up (pull after IMAGE_MISSING, the
  // clash choices after NAME_CLASH).
  action: string;
}

interface ServersState {
  // Core's view of every server: a cache, refreshed by pushes.
  views: ServerView[];
  loaded: boolean;
  pulls: Record<string, PullProgress>;
  logs: Record<string, LogLine[]>;
  errors: Record<string, OperationError>;
  orphans: Orphan[];
}

const initialState: ServersState = { views: [], loaded: false, pulls: {}, logs: {}, errors: {}, orphans: [] };

export const useServersStore = create<ServersState>()(() => ({ ...initialState }));

export function setViews(views: ServerView[]): void {
  useServersStore.setState({ views, loaded: true });
}

export function setPull(server: string, progress: PullProgress): void {
  useServersStore.setState((s) => ({ pulls: { ...s.pulls, [server]: progress } }));
}

export function setLogs(server: string, lines: LogLine[]): void {
  useServersStore.setState((s) => ({ logs: { ...s.logs, [server]: lines.slice(-MAX_UI_LOG_LINES) } }));
}

// Bounded like core's buffer: a chatty server cannot grow the page's memory.
export function appendLogs(server: string, lines: LogLine[]): void {
  useServersStore.setState((s) => ({
    logs: { ...s.logs, [server]: [...(s.logs[server] ?? []), ...lines].slice(-MAX_UI_LOG_LINES) },
  }));
}

export function setError(server: string, error: OperationError | undefined): void {
  useServersStore.setState((s) => {
    const errors = { ...s.errors };
    if (error) errors[server] = error;
    else delete errors[server];
    return { errors };
  });
}

export function setOrphans(orphans: Orphan[]): void {
  useServersStore.setState({ orphans });
}

export function resetServersStore(): void {
  useServersStore.setState({ ...initialState });
}
