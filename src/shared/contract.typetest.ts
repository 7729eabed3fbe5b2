// Compile-only checks of the derived API types; `npm run typecheck` fails if any stops holding.
import type { AppInfo } from './app-info';
import type { DockApi, RawDockApi } from './contract';
import type { EngineStatus } from './engine';
import type { OAuthClientView } from './oauth-admin';
import type { ClientConfigChange, ClientId } from './snippets';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

assertType<Equal<ReturnType<DockApi['engine']['getStatus']>, Promise<EngineStatus>>>();
assertType<Equal<ReturnType<DockApi['app']['getInfo']>, Promise<AppInfo>>>();
assertType<Equal<Parameters<DockApi['engine']['onStatus']>[0], (payload: EngineStatus) => void>>();
assertType<Equal<ReturnType<DockApi['engine']['onStatus']>, () => void>>();

declare const api: DockApi;
declare const raw: RawDockApi;
// @ts-expect-error getStatus takes no input
void api.engine.getStatus({});
// @ts-expect-error no such call in the contract
void api.engine.removeEverything();
// @ts-expect-error the raw preload API is not the typed one
const typed: DockApi = raw;
void typed;

// A client's config file and an OAuth client are two things with two names.
assertType<
  Equal<
    Parameters<DockApi['clientConfigs']['add']>[0],
    | { client: ClientId; server: string }
    | { client: ClientId; gateway: { form: 'url' | 'stdio'; profile?: string | undefined } }
  >
>();
assertType<Equal<ReturnType<DockApi['clientConfigs']['add']>, Promise<ClientConfigChange>>>();
assertType<Equal<ReturnType<DockApi['oauth']['clients']>, Promise<OAuthClientView[]>>>();
// @ts-expect-error the client config file calls are `clientConfigs`; `clients` is no domain
void api.clients;
