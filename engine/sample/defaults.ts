/**
 * What generation does when the user has chosen nothing: the app's controls start here and
 * `continuo generate` uses the same sampling values, so the CLI and the app sound alike out of the
 * box (the CLI writes one variation unless asked for more; the app shows `variations`). Novelty is
 * not here: its default is the model's own (engine/memory/novelty.ts).
 *
 * Temperature 0.9 with top-p 0.95: continuing the validation tunes with the default model
 * (`continuo check-generation`), no loops, no stray pitches and no notes over a bar line at 1, 0.9 /
 * 0.95 or 0.8 / 0.95. Chosen (half of the tunes) before the part plan (engine/memory/form.ts), when
 * temperature 1 restated the seed in 17 % of the continuations and 0.9 / 0.95 in 36 % (the tunes
 * themselves: 86 %); with the plan both restate about as often as the tunes (84 % and 88 %), and 0.9
 * / 0.95 keeps a little more of the model's most likely notes than 1.
 */
export const GENERATION_DEFAULTS = {
  bars: 8,
  variations: 4,
  temperature: 0.9,
  /** 0 = off. */
  topK: 0,
  /** 1 = off. */
  topP: 0.95,
} as const;
