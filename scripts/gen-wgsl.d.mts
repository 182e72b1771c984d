/** Every generated WGSL file: path (from the repository root) -> contents (scripts/gen-wgsl.mjs). */
export function generatedFiles(): Record<string, string>;
