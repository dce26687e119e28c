/** Types of usda-files.mjs for the TypeScript that reads the same USDA files (tests/support/usda-sr28.ts). */
export declare function parseCsvLine(line: string): string[];
