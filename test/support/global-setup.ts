import { ensureWebBuilt } from '../../cli/web-build.ts';

/** Once before every test file: the web app's build (the browser tests and `serve` use it). */
export default async function setup(): Promise<void> {
  await ensureWebBuilt((message) => process.stderr.write(`${message}\n`));
}
