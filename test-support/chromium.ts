// Debian's Chromium, as the e2e specs and the UI benchmark launch it: headless in a container,
// with nothing that reaches the network or differs from run to run.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
