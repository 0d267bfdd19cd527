/**
 * The model files the app knows of, as `ModelRef`s for the model worker (which reads them; main
 * never does). Now the bundled default model; trained models will be listed here beside it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelRef } from '../contract/worker.js';

/** `models/` of the checkout when run from dist/ (this module is dist/app/services/models.js). */
export const defaultModelsDir = (): string => fileURLToPath(new URL('../../../models', import.meta.url));

/** The bundled models in `modelsDir`, the default first. */
export function bundledModels(modelsDir: string): ModelRef[] {
  return [{ id: 'default', path: path.join(modelsDir, 'default.continuo'), builtIn: true }];
}
