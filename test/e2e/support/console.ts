/** Driving the staff console (`/console`) like a person would, via test ids. */
import type { Page } from 'playwright-core';

export async function consoleLogin(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(new URL('/console', url).toString());
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

export async function openConsolePage(page: Page, url: string, path: string): Promise<void> {
  await page.goto(new URL(path, url).toString());
}
