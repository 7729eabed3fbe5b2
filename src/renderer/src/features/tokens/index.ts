export { ClientsTokensPane } from './components/ClientsTokensPane';
export { startTokensSync, refreshTokens, resetTokensStore, useTokensStore } from './lib/tokens-store';
