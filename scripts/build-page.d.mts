// Types for scripts/build-page.mjs (the browser test imports it).
export declare function buildPage(root?: string, outfile?: string): Promise<void>;
