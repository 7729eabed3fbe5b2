import type { DockConnection } from '../lib/dock-client';
import { setAppInfo, setConnectionState } from '../features/connection';
import { refreshEngineStatus, startEngineSync } from '../features/engine';
import { refreshServers, startServersSync } from '../features/servers';
import { refreshRemotes, startRemotesSync } from '../features/remotes';
import { startCatalogSync } from '../features/catalog';
import { refreshProfiles, startProfilesSync } from '../features/profiles';
import { startConsentSync } from '../features/consent';
import { refreshApprovals, startApprovalsSync } from '../features/approvals';
import { refreshTokens, startTokensSync } from '../features/tokens';
import { refreshAudit, startAuditSync } from '../features/audit';
import { refreshGateway, startGatewaySync } from '../features/gateway';
import { setConnectApi } from '../features/connect';
import { setPiiTesterApi } from '../features/pii-tester';

// Wires core's pushes into the stores once, outside React. After a reconnect the caches are
// refreshed because events may have been missed while the bridge was down.
export function startSync(connection: DockConnection): () => void {
  const stopEngine = startEngineSync(connection.api);
  const stopServers = startServersSync(connection.api);
  const stopRemotes = startRemotesSync(connection.api);
  const stopCatalog = startCatalogSync(connection.api);
  const stopProfiles = startProfilesSync(connection.api);
  const stopConsents = startConsentSync(connection.api);
  const stopApprovals = startApprovalsSync(connection.api);
  const stopTokens = startTokensSync(connection.api);
  const stopAudit = startAuditSync(connection.api);
  const stopGateway = startGatewaySync(connection.api);
  // Nothing is pushed to these two panes; they only need the api for the calls they make.
  setConnectApi(connection.api);
  setPiiTesterApi(connection.api);
  const loadInfo = () => connection.api.app.getInfo().then(setAppInfo, () => undefined);
  void loadInfo();
  setConnectionState(connection.state());
  const stopState = connection.onStateChange((state) => {
    setConnectionState(state);
    if (state === 'open') {
      void refreshEngineStatus();
      void refreshServers();
      void refreshRemotes();
      void refreshProfiles();
      void refreshTokens();
      void refreshAudit();
      void refreshGateway();
      void refreshApprovals();
      void loadInfo();
    }
  });
  return () => {
    stopEngine();
    stopServers();
    stopRemotes();
    stopCatalog();
    stopProfiles();
    stopConsents();
    stopApprovals();
    stopTokens();
    stopAudit();
    stopGateway();
    stopState();
  };
}
