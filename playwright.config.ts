import { defineConfig } from '@playwright/test';
import type { DockFixtureOptions } from './e2e/fixtures/dock';

// One worker: every test starts its own app and engine proxy, and the machine has two cores.
export default defineConfig<DockFixtureOptions>({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  globalSetup: './e2e/fixtures/global-setup.ts',
  use: { trace: 'on-first-retry' },
  projects: [
    // The real renderer in Debian's Chromium against headless mode.
    { name: 'chromium', use: { shell: 'headless' } },
    // The same specs in the Electron app, where an Electron binary exists.
    { name: 'electron', use: { shell: 'electron' }, testIgnore: /headless-only/ },
  ],
});
