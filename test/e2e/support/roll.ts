/** Where things are on the piano roll of the page, for pointer gestures in the end-to-end tests. */
import type { Page } from '@playwright/test';

export const roll = (page: Page) => page.getByRole('figure', { name: /^Piano roll:/ });

/** Page coordinates of a point of the roll's note area: a step and a pitch row (the row's middle). */
export async function rollPoint(page: Page, step: number, pitch: number): Promise<{ x: number; y: number }> {
  const box = (await roll(page).boundingBox())!;
  const { scrollLeft, scrollTop } = await roll(page)
    .locator('.scroller')
    .evaluate((el) => ({ scrollLeft: el.scrollLeft, scrollTop: el.scrollTop }));
  const pxPerStep = await page.evaluate(
    () => (window as unknown as { __continuo: { view: { pxPerStep: number } } }).__continuo.view.pxPerStep,
  );
  // Keyboard 52 px, ruler 22 px, 11 px a row from C8 (108) down.
  return {
    x: box.x + 52 + step * pxPerStep - scrollLeft,
    y: box.y + 22 + (108 - pitch) * 11 + 5.5 - scrollTop,
  };
}
