/** Bundles `entry` into `outfile` as the CLI's bundle is built (see bundle.js). */
export function buildBundle(entry: string, outfile: string): Promise<void>;
