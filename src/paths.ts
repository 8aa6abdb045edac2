import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package's root folder, from src/ (tsx, tests) and dist/ (built) alike. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SPECS_DIR = path.join(PACKAGE_ROOT, 'specs');
export const FIXTURES_DIR = path.join(PACKAGE_ROOT, 'fixtures');
/** The docs page shell and the console (static files, served as they are from src/ and from an installed package). */
export const PAGES_DIR = path.join(PACKAGE_ROOT, 'src', 'pages');
