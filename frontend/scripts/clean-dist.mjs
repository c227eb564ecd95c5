// Removes the previous build from dist/ but keeps dist/.gitkeep, which the Go
// build needs on a fresh clone (//go:embed all:frontend/dist).
import { readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
mkdirSync(dist, { recursive: true });
for (const name of readdirSync(dist)) {
  if (name !== '.gitkeep') rmSync(join(dist, name), { recursive: true, force: true });
}
writeFileSync(join(dist, '.gitkeep'), '');
