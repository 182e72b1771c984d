/** The palette of groups (bias probe) and queries (patch detector): both tabs speak the same colours. */
export const SERIES_COLOURS = ['#4f46e5', '#f59e0b', '#10b981', '#ef4444', '#06b6d4', '#a855f7', '#84cc16', '#ec4899'];

/** The colour of the i-th group or query (the palette repeats). */
export const seriesColour = (i: number): string => SERIES_COLOURS[i % SERIES_COLOURS.length];
