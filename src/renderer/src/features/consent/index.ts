export { ConsentDialog } from './components/ConsentDialog';
export { startConsentSync, resetConsentStore, useConsentStore } from './lib/consent-store';
