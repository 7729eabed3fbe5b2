import { expect, openApp, test } from './fixtures/dock';

test.describe('Docker engine status', () => {
  test('the status bar shows the engine version and the Containers pane is ready', async ({ dock }) => {
    await openApp(dock);
    const status = dock.page.getByRole('status', { name: 'Docker engine status' });
    await expect(status).toContainText(dock.engineVersion);
    await expect(status).toContainText('reachable');
    await expect(dock.page.getByRole('heading', { name: 'Containers', exact: true })).toBeVisible();
    // The built-in catalog is listed as soon as the engine answers.
    await expect(dock.page.getByRole('article', { name: 'context7', exact: true })).toBeVisible();
  });

  test('losing the engine flips to unreachable within 5 s, and its return recovers without reload', async ({
    dock,
  }) => {
    await openApp(dock);
    const status = dock.page.getByRole('status', { name: 'Docker engine status' });
    await expect(status).toContainText(dock.engineVersion);
    // A marker that a reload would wipe: recovery must happen in this same page.
    await dock.page.evaluate(() => ((window as unknown as { e2eMarker: number }).e2eMarker = 42));

    await dock.engine.cut();
    await expect(status).toHaveAttribute('data-state', 'unreachable', { timeout: 5_000 });
    await expect(status).toContainText('unreachable');
    await expect(dock.page.getByRole('heading', { name: 'No Docker engine reachable' })).toBeVisible();

    await dock.engine.restore();
    await expect(status).toHaveAttribute('data-state', 'reachable', { timeout: 10_000 });
    await expect(status).toContainText(dock.engineVersion);
    // The built-in catalog is listed as soon as the engine answers.
    await expect(dock.page.getByRole('article', { name: 'context7', exact: true })).toBeVisible();
    expect(await dock.page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker)).toBe(42);
  });

  test('"Check again now" reconnects at once when the engine is back', async ({ dock }) => {
    await openApp(dock);
    const status = dock.page.getByRole('status', { name: 'Docker engine status' });
    await expect(status).toContainText(dock.engineVersion);
    await dock.engine.cut();
    await expect(status).toHaveAttribute('data-state', 'unreachable', { timeout: 5_000 });
    await dock.engine.restore();
    // The app also finds the engine by itself (its own re-check); when that wins on a loaded
    // machine, the button is gone before the click lands, and there is nothing left to press.
    await dock.page
      .getByRole('button', { name: 'Check again now' })
      .click({ timeout: 3_000 })
      .catch(() => undefined);
    await expect(status).toHaveAttribute('data-state', 'reachable', { timeout: 5_000 });
  });
});
