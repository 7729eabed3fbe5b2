import { expect, openApp, test } from './fixtures/dock';

// The page outlives `mcp-dock serve`: once the bridge is gone, the last engine status is stale.
test('the status bar stops saying the engine is reachable once the app stops', async ({ dock }) => {
  const { page } = dock;
  await openApp(dock);
  const status = page.getByRole('status', { name: 'Docker engine status' });
  await expect(status).toHaveAttribute('data-state', 'reachable');
  await expect(status.locator('.dot')).toHaveCSS('background-color', 'rgb(31, 157, 85)');

  await dock.stopApp!();
  await expect(status).toHaveAttribute('data-state', 'disconnected');
  await expect(status).toHaveText('Not connected to MCP Dock · engine status unknown');
  await expect(status.locator('.dot')).not.toHaveCSS('background-color', 'rgb(31, 157, 85)');
  await expect(page.getByRole('alert').filter({ hasText: 'Lost the connection to MCP Dock' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('status-bar-disconnected.png') });
});
