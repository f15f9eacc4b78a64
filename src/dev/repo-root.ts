import { fileURLToPath } from 'node:url';

/**
 * The repository: where serverless.yml, node_modules, jobs/ and sample-data/ are. This file is two
 * levels below it both as source (src/dev/) and as built code (dist/dev/).
 */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
