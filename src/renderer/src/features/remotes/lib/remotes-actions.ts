import type { DockApi } from '../../../../../shared/contract';
import type { RemoteSpecInput } from '../../../../../shared/remotes';
import { remoteSpecSchema } from '../../../../../shared/remotes';
import { describeError } from '../../../common/describe-error';
import { setRemoteError, setRemoteViews, setSigningIn } from './remotes-store';

let api: DockApi | undefined;
// Pushes seen so far: a list answer that left before the latest push is older than what it holds.
let pushes = 0;
// The browser (headless mode) opens the sign-in page itself; the desktop shell opens it in the
// system browser, so the window must not try (it would be refused anyway).
let opensPages = true;

function dock(): DockApi {
  if (!api) throw new Error('remotes sync not started');
  return api;
}

export function startRemotesSync(dock: DockApi): () => void {
  api = dock;
  void dock.app.getInfo().then(
    (info) => (opensPages = info.mode !== 'desktop'),
    () => undefined,
  );
  const stop = dock.remotes.onChanged((views) => {
    pushes++;
    setRemoteViews(views);
  });
  void refreshRemotes();
  return stop;
}

export async function refreshRemotes(): Promise<void> {
  const before = pushes;
  try {
    const views = await dock().remotes.list();
    if (pushes === before) setRemoteViews(views);
  } catch {
    // The bridge is away; the banner says so, and a push refreshes later.
  }
}

// Add and edit report their error to the form: the remote may not exist yet.
export async function saveRemote(
  original: string | undefined,
  input: RemoteSpecInput,
  secretValues: Record<string, string>,
): Promise<string | undefined> {
  try {
    const spec = remoteSpecSchema.parse(input);
    const values = Object.keys(secretValues).length ? { secretValues } : {};
    if (original) await dock().remotes.update({ name: original, spec, ...values });
    else await dock().remotes.add({ spec, ...values });
    await refreshRemotes();
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

export async function removeRemote(name: string): Promise<void> {
  setRemoteError(name, undefined);
  try {
    await dock().remotes.remove({ name });
    await refreshRemotes();
  } catch (error) {
    setRemoteError(name, describeError(error, 'remove'));
  }
}

export async function signIn(name: string): Promise<void> {
  setRemoteError(name, undefined);
  try {
    const { authorizationUrl } = await dock().remotes.signIn({ name });
    setSigningIn(name, authorizationUrl);
    if (opensPages) window.open(authorizationUrl, '_blank', 'noopener,noreferrer');
  } catch (error) {
    setRemoteError(name, describeError(error, 'sign in'));
  }
}

export async function signOut(name: string): Promise<void> {
  setRemoteError(name, undefined);
  setSigningIn(name, undefined);
  try {
    await dock().remotes.signOut({ name });
    await refreshRemotes();
  } catch (error) {
    setRemoteError(name, describeError(error, 'sign out'));
  }
}
