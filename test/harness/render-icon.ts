// Renders media/icon.svg to the 128×128 media/icon.png the package uses (headless Chromium through playwright-core).
//   tsx test/harness/render-icon.ts
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureToolchain } from './install';
import { repoRoot } from './paths';
import { newSessionDir } from './server';
import { launchChromium } from './workbench';

async function main(): Promise<void> {
  const svg = readFileSync(join(repoRoot, 'media', 'icon.svg'), 'utf8');
  const sessionDir = newSessionDir();
  const browser = await launchChromium(await ensureToolchain(), sessionDir);
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
    await page.setContent(`<body style="margin:0">${svg}</body>`);
    const out = join(repoRoot, 'media', 'icon.png');
    await page.locator('svg').screenshot({ path: out, omitBackground: true });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
    rmSync(sessionDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
