import type { Page } from 'playwright-core';
import { waitFor } from './server';

/**
 * Moves outline item `moving` one place up, over `over`, with the keyboard (Space picks up,
 * ArrowUp moves, Space drops), waiting on dnd-kit's transforms rather than on time.
 */
export async function keyboardMoveUp(page: Page, moving: string, over: string): Promise<void> {
  // dnd-kit scrolls a scrolled container before it moves the item: start from the top
  await page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('[data-testid="outline"]')?.scrollTo(0, 0); });
  await page.getByTestId(`drag-${moving}`).focus();
  await page.keyboard.press('Space');
  await waitFor(async () => (await page.getByTestId(`drag-${moving}`).getAttribute('aria-pressed')) === 'true', `${moving} picked up`);
  // the sensor starts listening for arrows a tick after the pick-up: press until the item moves (it can only move up once)
  await waitFor(async () => {
    await page.keyboard.press('ArrowUp');
    return /translate3d\(0px, -[1-9]/.test((await page.getByTestId(`outline-q-${moving}`).getAttribute('style')) ?? '');
  }, `${moving} moving up`, 15_000, 200);
  // the item is over its neighbour once the neighbour makes room (shifts down)
  await waitFor(async () => /translate3d\(0px, [1-9]/.test((await page.getByTestId(`outline-q-${over}`).getAttribute('style')) ?? ''), `${over} making room`);
  await page.keyboard.press('Space');
}
