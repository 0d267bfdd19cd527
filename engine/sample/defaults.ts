/**
 * What generation does when the user has chosen nothing: the app's controls start here and
 * `continuo generate` uses the same sampling values, so the CLI and the app sound alike out of the
 * box (the CLI writes one variation unless asked for more; the app shows `variations`).
 * `continuo check-generation` measures these settings next to the two (temperature 1, and
 * temperature 0.8 with top-p 0.95).
 */
export const GENERATION_DEFAULTS = {
  bars: 8,
  variations: 4,
  temperature: 1,
  /** 0 = off. */
  topK: 0,
  /** 1 = off. */
  topP: 1,
} as const;
