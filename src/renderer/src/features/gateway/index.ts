export { GatewayPane } from './components/GatewayPane';
export { startGatewaySync, refreshGateway, resetGatewayStore, useGatewayStore } from './lib/gateway-store';
