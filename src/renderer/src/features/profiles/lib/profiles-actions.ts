import type { DockApi } from '../../../../../shared/contract';
import { profileSchema, type ProfileInput } from '../../../../../shared/profiles';
import { describeError } from '../../../common/describe-error';
import { setProfileError, setProfileViews } from './profiles-store';

let api: DockApi | undefined;
// Pushes seen so far: a list answer that left before the latest push is older than what it holds.
let pushes = 0;

function dock(): DockApi {
  if (!api) throw new Error('profiles sync not started');
  return api;
}

export function startProfilesSync(dock: DockApi): () => void {
  api = dock;
  const stop = dock.profiles.onChanged((views) => {
    pushes++;
    setProfileViews(views);
  });
  void refreshProfiles();
  return stop;
}

export async function refreshProfiles(): Promise<void> {
  const before = pushes;
  try {
    const views = await dock().profiles.list();
    if (pushes === before) setProfileViews(views);
  } catch {
    // The bridge is away; the banner says so, and a push refreshes later.
  }
}

// Add and edit report their error to the form.
export async function saveProfile(
  original: string | undefined,
  input: ProfileInput,
): Promise<string | undefined> {
  try {
    const profile = profileSchema.parse(input);
    if (original) await dock().profiles.update({ name: original, profile });
    else await dock().profiles.add(profile);
    await refreshProfiles();
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

export async function removeProfile(name: string): Promise<void> {
  setProfileError(name, undefined);
  try {
    await dock().profiles.remove({ name });
    await refreshProfiles();
  } catch (error) {
    setProfileError(name, describeError(error, 'remove'));
  }
}
